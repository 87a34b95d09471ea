package org.yolofleet.device.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the agent's S3 client (AWS SDK v2 on the URL-connection client) does behind {@link FaultProxy}: it retries a
 * {@code SlowDown} by itself; a body cut short reaches the caller as a short object, with no error.
 */
class SdkThroughFaultProxyTest {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final String KEY = "releases/m/v1/model.onnx";
    private static final String PATH = "/bucket/" + KEY;

    private final byte[] content = new byte[200_000];
    private HttpServer origin;
    private FaultProxy proxy;
    private S3Client s3;

    @BeforeEach
    void start() throws IOException {
        new Random(3).nextBytes(content);
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/", this::serve);
        origin.start();
        proxy = FaultProxy.start(URI.create("http://127.0.0.1:" + origin.getAddress().getPort()));
        s3 = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(10)).build())
                .endpointOverride(proxy.uri())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret")))
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        s3.close();
        proxy.close();
        origin.stop(0);
    }

    @Test
    void slowDownIsRetriedByTheSdk() {
        proxy.script(FaultProxy.request("GET", PATH), Fault.slowDown());

        byte[] body = s3.getObjectAsBytes(request -> request.bucket("bucket").key(KEY)).asByteArray();

        assertThat(body).isEqualTo(content);
        assertThat(proxy.requests("GET", PATH)).isEqualTo(2);
        assertThat(proxy.bodyBytes("GET", PATH)).isEqualTo(content.length);
    }

    /**
     * The hazard this pins: through the URL-connection client a body cut short by the network ends like a whole one,
     * no exception, in the stream and in {@code getObjectAsBytes} alike. Only the response's Content-Length tells, so
     * the agent compares the bytes it got with it (and with the manifest's size) and resumes with a ranged GET.
     */
    @Test
    void bodyCutShortEndsSilentlyAndOnlyContentLengthTellsThenARangedGetResumesIt() throws IOException {
        proxy.script(FaultProxy.request("GET", PATH), Fault.dropAfter(50_000), Fault.dropAfter(70_000));

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long declared;
        try (ResponseInputStream<GetObjectResponse> body = s3.getObject(request -> request.bucket("bucket").key(KEY))) {
            declared = body.response().contentLength();
            copy(body, received);
        }
        ResponseBytes<GetObjectResponse> whole = s3.getObjectAsBytes(request -> request.bucket("bucket").key(KEY));

        assertThat(received.size()).isEqualTo(50_000);
        assertThat(declared).isEqualTo(content.length);
        assertThat(whole.asByteArray()).hasSize(70_000);
        assertThat(whole.response().contentLength()).isEqualTo(content.length);
        byte[] rest = s3.getObjectAsBytes(request -> request.bucket("bucket").key(KEY).range("bytes=" + received.size() + "-")).asByteArray();
        received.write(rest);
        assertThat(received.toByteArray()).isEqualTo(content);
        assertThat(proxy.requests("GET", PATH)).isEqualTo(3);
        assertThat(proxy.bodyBytes("GET", PATH)).isEqualTo(50_000 + 70_000 + rest.length);
    }

    private static void copy(InputStream input, ByteArrayOutputStream output) throws IOException {
        byte[] buffer = new byte[8192];
        int read;
        while ((read = input.read(buffer)) >= 0) {
            output.write(buffer, 0, read);
        }
    }

    /** GET of the one object with Range, as S3 answers it (ETag, Content-Range). */
    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") || !exchange.getRequestURI().getPath().equals(PATH)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            int from = 0;
            int to = content.length - 1;
            int status = 200;
            String range = exchange.getRequestHeaders().getFirst("Range");
            if (range != null) {
                Matcher matcher = RANGE.matcher(range);
                if (!matcher.matches()) {
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                from = Integer.parseInt(matcher.group(1));
                to = matcher.group(2).isEmpty() ? to : Math.min(to, Integer.parseInt(matcher.group(2)));
                status = 206;
                exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + content.length);
            }
            exchange.getResponseHeaders().set("ETag", "\"etag-1\"");
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            byte[] part = Arrays.copyOfRange(content, from, to + 1);
            exchange.sendResponseHeaders(status, part.length);
            exchange.getResponseBody().write(part);
        }
    }
}

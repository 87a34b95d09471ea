package org.yolofleet.device.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Each fault of {@link FaultProxy} as an {@link HttpURLConnection} client sees it, against a JDK HTTP server origin. */
class FaultProxyTest {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final String FILE = "/bucket/model.onnx";

    private final byte[] content = new byte[100_000];
    private final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    private final AtomicInteger originRequests = new AtomicInteger();
    private HttpServer origin;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        new Random(7).nextBytes(content);
        stored.put(FILE, content);
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/", this::serve);
        origin.start();
        proxy = FaultProxy.start(URI.create("http://127.0.0.1:" + origin.getAddress().getPort()));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        origin.stop(0);
    }

    @Test
    void passThroughForwardsTheBodyAndCountsItsBytes() throws IOException {
        Response response = get(FILE, Optional.empty(), 0);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
        assertThat(proxy.requests("GET", FILE)).isEqualTo(1);
        assertThat(proxy.bodyBytes("GET", FILE)).isEqualTo(content.length);
        assertThat(originRequests).hasValue(1);
    }

    @Test
    void slowDownAndInternalErrorAnswerWithS3ErrorBodiesWithoutAskingTheOrigin() throws IOException {
        proxy.script(FaultProxy.request("GET", "model.onnx"), Fault.slowDown(), Fault.internalError());

        Response throttled = get(FILE, Optional.empty(), 0);
        Response failed = get(FILE, Optional.empty(), 0);
        Response passed = get(FILE, Optional.empty(), 0);

        assertThat(throttled.status()).isEqualTo(503);
        assertThat(new String(throttled.body(), StandardCharsets.UTF_8)).contains("<Code>SlowDown</Code>", "<Resource>" + FILE + "</Resource>");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(new String(failed.body(), StandardCharsets.UTF_8)).contains("<Code>InternalError</Code>");
        assertThat(passed.status()).isEqualTo(200);
        assertThat(passed.body()).isEqualTo(content);
        assertThat(originRequests).hasValue(1);
        assertThat(proxy.requests("GET", FILE)).isEqualTo(3);
        assertThat(proxy.bodyBytes("GET", FILE)).isEqualTo(content.length);
        assertThat(proxy.exchanges()).extracting(Exchange::status).containsExactly(503, 500, 200);
    }

    @Test
    void errorAnswerToHeadHasNoBodySoTheConnectionServesTheNextRequest() throws IOException {
        proxy.script(FaultProxy.request("HEAD", FILE), Fault.slowDown());

        HttpURLConnection head = open(FILE, Optional.empty(), 0);
        head.setRequestMethod("HEAD");
        assertThat(head.getResponseCode()).isEqualTo(503);
        Response next = get(FILE, Optional.empty(), 0);

        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body()).isEqualTo(content);
        assertThat(proxy.exchanges()).extracting(Exchange::bodyBytes).containsExactly(0L, (long) content.length);
    }

    @Test
    void droppedConnectionIsResumedByARangeRequestForTheRest() throws IOException {
        proxy.script(FaultProxy.request("GET", FILE), Fault.dropAfter(30_000));

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        HttpURLConnection first = open(FILE, Optional.empty(), 0);
        assertThat(first.getResponseCode()).isEqualTo(200);
        assertThat(first.getContentLengthLong()).isEqualTo(content.length);
        // the JDK's HttpURLConnection ends a fixed-length body cut short with an early end of stream, not an exception:
        // a client must compare what it read with Content-Length
        try {
            copy(first.getInputStream(), received);
        }
        catch (IOException cut) {
            // also a way to see it
        }
        assertThat(received.size()).isEqualTo(30_000);

        Response rest = get(FILE, Optional.of("bytes=" + received.size() + "-"), 0);
        assertThat(rest.status()).isEqualTo(206);
        received.write(rest.body());

        assertThat(received.toByteArray()).isEqualTo(content);
        assertThat(proxy.exchanges()).extracting(Exchange::range).containsExactly(Optional.empty(), Optional.of("bytes=30000-"));
        assertThat(proxy.bodyBytes("GET", FILE)).isEqualTo(content.length).isEqualTo(received.size());
    }

    @Test
    void closeWithoutResponseFailsTheRequestAndTheNextOnePasses() throws IOException {
        // the JDK's HttpURLConnection resends a GET once, unseen, when the connection closes before an answer
        proxy.script(FaultProxy.request("GET", FILE), Fault.closeWithoutResponse(), Fault.closeWithoutResponse());

        HttpURLConnection connection = open(FILE, Optional.empty(), 0);
        assertThatThrownBy(connection::getResponseCode).isInstanceOf(IOException.class);
        assertThat(proxy.requests("GET", FILE)).isEqualTo(2);
        assertThat(originRequests).hasValue(0);

        assertThat(get(FILE, Optional.empty(), 0).body()).isEqualTo(content);
    }

    @Test
    void trickleDeliversTheWholeBodyInSmallPiecesOverTime() throws IOException {
        byte[] small = Arrays.copyOf(content, 2_000);
        stored.put("/small", small);
        proxy.always(FaultProxy.request("GET", "/small"), Fault.trickle(500, Duration.ofMillis(100)));

        long start = System.nanoTime();
        Response response = get("/small", Optional.empty(), 5_000);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.body()).isEqualTo(small);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(300); // four pieces, three waits between them
        assertThat(proxy.bodyBytes("GET", "/small")).isEqualTo(small.length);
    }

    @Test
    void delayLongerThanTheClientsReadTimeoutTimesOut() throws IOException {
        proxy.script(FaultProxy.request("GET", FILE), Fault.delay(Duration.ofSeconds(2)));

        HttpURLConnection connection = open(FILE, Optional.empty(), 200);
        assertThatThrownBy(connection::getResponseCode).isInstanceOf(SocketTimeoutException.class);
        assertThat(get(FILE, Optional.empty(), 5_000).body()).isEqualTo(content);
    }

    @Test
    void putAndHeadAreForwardedAndCountedByMethodAndPath() throws IOException {
        byte[] upload = "release bytes".getBytes(StandardCharsets.UTF_8);
        HttpURLConnection put = open("/bucket/new.bin", Optional.empty(), 0);
        put.setRequestMethod("PUT");
        put.setDoOutput(true);
        put.setFixedLengthStreamingMode(upload.length);
        try (OutputStream body = put.getOutputStream()) {
            body.write(upload);
        }
        assertThat(put.getResponseCode()).isEqualTo(200);
        HttpURLConnection chunkedPut = open("/bucket/chunked.bin", Optional.empty(), 0);
        chunkedPut.setRequestMethod("PUT");
        chunkedPut.setDoOutput(true);
        chunkedPut.setChunkedStreamingMode(4);
        try (OutputStream body = chunkedPut.getOutputStream()) {
            body.write(upload);
        }
        assertThat(chunkedPut.getResponseCode()).isEqualTo(200);
        HttpURLConnection head = open("/bucket/new.bin", Optional.empty(), 0);
        head.setRequestMethod("HEAD");

        assertThat(head.getResponseCode()).isEqualTo(200);
        assertThat(head.getContentLengthLong()).isEqualTo(upload.length);
        assertThat(stored.get("/bucket/new.bin")).isEqualTo(upload);
        assertThat(stored.get("/bucket/chunked.bin")).isEqualTo(upload);
        assertThat(get("/bucket/new.bin", Optional.empty(), 0).body()).isEqualTo(upload);
        assertThat(proxy.requests("PUT", "/bucket/new.bin")).isEqualTo(1);
        assertThat(proxy.requests("HEAD", "/bucket/new.bin")).isEqualTo(1);
        assertThat(proxy.requests("GET", "/bucket/new.bin")).isEqualTo(1);
        assertThat(proxy.bodyBytes("HEAD", "/bucket/new.bin")).isZero();
        assertThat(proxy.requests()).isEqualTo(4);

        proxy.clearExchanges();
        assertThat(proxy.requests()).isZero();
        assertThat(get("/bucket/new.bin", Optional.empty(), 0).body()).isEqualTo(upload);
        assertThat(proxy.exchanges()).extracting(Exchange::method, Exchange::path, Exchange::status, Exchange::bodyBytes)
                .containsExactly(tuple("GET", "/bucket/new.bin", 200, (long) upload.length));
    }

    @Test
    void chunkedOriginAnswerReachesTheClientWhole() throws IOException {
        Response response = get("/chunked" + FILE, Optional.empty(), 0);

        assertThat(response.body()).isEqualTo(content);
        assertThat(proxy.bodyBytes("GET", "/chunked" + FILE)).isEqualTo(content.length);
    }

    @Test
    void absoluteFormRequestsOfAnHttpProxyClientGoWhereTheySay() throws IOException {
        URI target = URI.create("http://127.0.0.1:" + origin.getAddress().getPort() + FILE);
        HttpURLConnection connection = (HttpURLConnection) target.toURL()
                .openConnection(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port())));

        assertThat(connection.getResponseCode()).isEqualTo(200);
        try (InputStream body = connection.getInputStream()) {
            assertThat(body.readAllBytes()).isEqualTo(content);
        }
        assertThat(proxy.requests("GET", FILE)).isEqualTo(1);
    }

    @Test
    void closedProxyRefusesConnections() throws IOException {
        proxy.close();

        assertThatThrownBy(() -> open(FILE, Optional.empty(), 0).getResponseCode()).isInstanceOf(ConnectException.class);
    }

    private record Response(int status, byte[] body) {
    }

    private Response get(String path, Optional<String> range, int readTimeoutMillis) throws IOException {
        HttpURLConnection connection = open(path, range, readTimeoutMillis);
        int status = connection.getResponseCode();
        try (InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            return new Response(status, body == null ? new byte[0] : body.readAllBytes());
        }
    }

    private HttpURLConnection open(String path, Optional<String> range, int readTimeoutMillis) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) proxy.uri().resolve(path).toURL().openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(readTimeoutMillis);
        range.ifPresent(value -> connection.setRequestProperty("Range", value));
        return connection;
    }

    private static void copy(InputStream input, ByteArrayOutputStream output) throws IOException {
        try (input) {
            byte[] buffer = new byte[4096];
            int read;
            while ((read = input.read(buffer)) >= 0) {
                output.write(buffer, 0, read);
            }
        }
    }

    /** The origin: GET with Range, HEAD and PUT of stored objects; under /chunked, GET answers without a length. */
    private void serve(HttpExchange exchange) throws IOException {
        originRequests.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean chunked = path.startsWith("/chunked/");
            String key = chunked ? path.substring("/chunked".length()) : path;
            switch (exchange.getRequestMethod()) {
                case "PUT" -> {
                    stored.put(key, exchange.getRequestBody().readAllBytes());
                    exchange.sendResponseHeaders(200, -1);
                }
                case "HEAD" -> {
                    byte[] object = stored.get(key);
                    exchange.getResponseHeaders().set("Content-Length", String.valueOf(object == null ? 0 : object.length));
                    exchange.sendResponseHeaders(object == null ? 404 : 200, -1);
                }
                case "GET" -> {
                    byte[] object = stored.get(key);
                    if (object == null) {
                        exchange.sendResponseHeaders(404, -1);
                        return;
                    }
                    String range = exchange.getRequestHeaders().getFirst("Range");
                    int from = 0;
                    int to = object.length - 1;
                    int status = 200;
                    if (range != null) {
                        Matcher matcher = RANGE.matcher(range);
                        if (!matcher.matches()) {
                            exchange.sendResponseHeaders(416, -1);
                            return;
                        }
                        from = Integer.parseInt(matcher.group(1));
                        to = matcher.group(2).isEmpty() ? object.length - 1 : Math.min(object.length - 1, Integer.parseInt(matcher.group(2)));
                        status = 206;
                        exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + object.length);
                    }
                    byte[] part = Arrays.copyOfRange(object, from, to + 1);
                    exchange.sendResponseHeaders(status, chunked ? 0 : part.length);
                    exchange.getResponseBody().write(part);
                }
                default -> exchange.sendResponseHeaders(405, -1);
            }
        }
    }
}

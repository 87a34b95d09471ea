package org.yolofleet.device.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.release.ReleaseFixtures;
import org.yolofleet.core.release.Sha256;
import org.yolofleet.device.DeviceFixture;
import org.yolofleet.device.sync.SyncOutcome;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The plain HTTP source against a small static server of our own (the JDK's): ETags and If-None-Match, Range, HEAD, 404,
 * and 503 retried.
 */
class HttpReleaseSourceTest {
    @TempDir
    Path directory;

    private DeviceFixture fixture;
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        fixture = new DeviceFixture(directory);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mirror/", this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mirror");
    }

    @Test
    void syncsFromAnHttpMirrorAndAnUnchangedChannelCostsOneRequest() throws IOException {
        fixture.publish("v1", 1);
        HttpReleaseSource http = new HttpReleaseSource(base(), Duration.ofSeconds(5));

        assertThat(fixture.sync(http).result()).isEqualTo(SyncOutcome.Result.INSTALLED);
        assertThat(fixture.install().currentVersion()).contains("v1");
        requests.clear();

        assertThat(fixture.sync(http).result()).isEqualTo(SyncOutcome.Result.NOT_MODIFIED);
        assertThat(requests).containsExactly("GET /mirror/channels/" + DeviceFixture.MODEL + "/stable.json 304");
    }

    @Test
    void rangesSizesMissingObjectsAndRetriedServerErrors() throws IOException {
        fixture.publish("v1", 1);
        HttpReleaseSource http = new HttpReleaseSource(base(), Duration.ofSeconds(5));
        String onnxPath = "releases/" + DeviceFixture.MODEL + "/v1/" + ReleaseFixtures.ONNX;
        byte[] onnx = Files.readAllBytes(fixture.storeFile("v1", ReleaseFixtures.ONNX));

        assertThat(http.size(onnxPath)).isEqualTo(onnx.length);
        try (var tail = http.open(onnxPath, 250)) {
            assertThat(tail.readAllBytes()).isEqualTo(Arrays.copyOfRange(onnx, 250, onnx.length));
        }
        assertThatThrownBy(() -> http.size("releases/none")).isInstanceOf(java.nio.file.NoSuchFileException.class);

        failuresLeft.set(2);
        assertThatThrownBy(() -> http.size(onnxPath)).isInstanceOfSatisfying(SourceException.class, failure -> {
            assertThat(failure.status()).isEqualTo(503);
            assertThat(failure.retryable()).isTrue();
        });
        RetryingReleaseSource retrying = new RetryingReleaseSource(http, DeviceFixture.fastBackoff(3), line -> { });
        assertThat(retrying.size(onnxPath)).isEqualTo(onnx.length);
        assertThat(failuresLeft.get()).isZero();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring("/mirror/".length());
            if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                respond(exchange, 503, new byte[0]);
                return;
            }
            Path file = fixture.store.resolve(path);
            if (!Files.isRegularFile(file)) {
                respond(exchange, 404, new byte[0]);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            String etag = "\"" + Sha256.of(body).hex().substring(0, 16) + "\"";
            exchange.getResponseHeaders().set("ETag", etag);
            if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                respond(exchange, 304, null);
                return;
            }
            String range = exchange.getRequestHeaders().getFirst("Range");
            if (range != null) {
                int from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                respond(exchange, 206, Arrays.copyOfRange(body, from, body.length));
                return;
            }
            respond(exchange, 200, body);
        }
    }

    private void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + status);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}

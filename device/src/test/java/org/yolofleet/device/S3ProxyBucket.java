package org.yolofleet.device;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.yolofleet.testing.S3ProxyServer;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * JUnit extension for a test class whose agents sync from S3: one S3Proxy (its own process) with the
 * {@value S3DeviceStore#BUCKET} bucket and the publisher's client, started before the class's first test and stopped,
 * its files deleted, after the last. Register it as {@code @RegisterExtension static final S3ProxyBucket S3 = new S3ProxyBucket();}.
 */
final class S3ProxyBucket implements BeforeAllCallback, AfterAllCallback {
    private Path directory;
    private S3ProxyServer server;
    private S3Client uploader;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("s3proxy-bucket");
        server = S3ProxyServer.start(directory, List.of(S3DeviceStore.BUCKET));
        uploader = S3DeviceStore.uploader(server);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (uploader != null) {
                uploader.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (directory != null) {
                try (Stream<Path> files = Files.walk(directory)) {
                    files.sorted(Comparator.reverseOrder()).forEach(S3ProxyBucket::delete);
                }
            }
        }
    }

    /** S3Proxy's endpoint, where the agent's fault proxy forwards to. */
    String endpoint() {
        return server.endpoint();
    }

    /** A store publishing {@code fixture}'s releases under {@code prefix} of the bucket, written straight to S3Proxy. */
    S3DeviceStore store(DeviceFixture fixture, String prefix) {
        return new S3DeviceStore(fixture, uploader, prefix);
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

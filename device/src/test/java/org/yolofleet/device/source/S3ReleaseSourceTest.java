package org.yolofleet.device.source;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.release.ReleaseFixtures;
import org.yolofleet.device.DeviceFixture;
import org.yolofleet.device.install.InstallDirectory;
import org.yolofleet.device.sync.SyncOutcome;
import org.yolofleet.testing.S3ProxyServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent against a real S3-protocol server (S3Proxy on loopback) through AWS SDK v2 and the URL-connection client. */
class S3ReleaseSourceTest {
    private static final String BUCKET = "fleet";
    private static final String PREFIX = "releases-root";

    @TempDir
    static Path serverDirectory;

    private static S3ProxyServer server;
    private static S3Client client;

    @TempDir
    Path directory;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start(serverDirectory, List.of(BUCKET));
        client = S3ReleaseSource.client(Optional.of("us-east-1"), Optional.of(server.endpoint()), true,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopServer() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void syncsFromS3AndAnUnchangedChannelCostsOneConditionalRequest() throws IOException {
        DeviceFixture fixture = new DeviceFixture(directory);
        fixture.publish("v1", 1);
        upload(fixture.store, "sync-test");
        S3ReleaseSource s3 = new S3ReleaseSource(client, BUCKET, PREFIX + "/sync-test");

        SyncOutcome first = fixture.sync(new CountingReleaseSource(s3));

        assertThat(first.result()).isEqualTo(SyncOutcome.Result.INSTALLED);
        InstallDirectory install = fixture.install();
        assertThat(Files.readAllBytes(install.currentLink().resolve(ReleaseFixtures.ONNX)))
                .isEqualTo(Files.readAllBytes(fixture.storeFile("v1", ReleaseFixtures.ONNX)));
        assertThat(install.stateFile().read().channelEtag()).isPresent();

        CountingReleaseSource counting = new CountingReleaseSource(s3);
        long stateModified = Files.getLastModifiedTime(install.stateFile().file()).toMillis();
        SyncOutcome second = fixture.sync(counting);

        assertThat(second.result()).isEqualTo(SyncOutcome.Result.NOT_MODIFIED);
        assertThat(counting.requests()).isEqualTo(1);
        assertThat(counting.bytes()).isZero();
        assertThat(Files.getLastModifiedTime(install.stateFile().file()).toMillis()).isEqualTo(stateModified);
    }

    @Test
    void readsRangesSizesAndReportsMissingObjects() throws IOException {
        DeviceFixture fixture = new DeviceFixture(directory);
        fixture.publish("v1", 1);
        upload(fixture.store, "range-test");
        S3ReleaseSource s3 = new S3ReleaseSource(client, BUCKET, PREFIX + "/range-test");
        String onnxPath = "releases/" + DeviceFixture.MODEL + "/v1/" + ReleaseFixtures.ONNX;
        byte[] onnx = Files.readAllBytes(fixture.storeFile("v1", ReleaseFixtures.ONNX));

        assertThat(s3.size(onnxPath)).isEqualTo(onnx.length);
        try (InputStream tail = s3.open(onnxPath, 600)) {
            assertThat(tail.readAllBytes()).isEqualTo(Arrays.copyOfRange(onnx, 600, onnx.length));
        }
        assertThatThrownBy(() -> s3.size("releases/none")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> s3.open("releases/none", 0)).isInstanceOf(NoSuchFileException.class);
        assertThat(s3.describe(onnxPath)).isEqualTo("s3://" + BUCKET + "/" + PREFIX + "/range-test/" + onnxPath);
    }

    @Test
    void resumesAPartialDownloadWithARangedGet() throws IOException {
        DeviceFixture fixture = new DeviceFixture(directory);
        fixture.publish("v1", 1);
        upload(fixture.store, "resume-test");
        byte[] onnx = Files.readAllBytes(fixture.storeFile("v1", ReleaseFixtures.ONNX));
        Path staged = fixture.install().stagingDirectory("v1").resolve(ReleaseFixtures.ONNX);
        Files.createDirectories(staged.getParent());
        Files.write(staged, Arrays.copyOf(onnx, 700));

        SyncOutcome outcome = fixture.sync(new S3ReleaseSource(client, BUCKET, PREFIX + "/resume-test"));

        assertThat(outcome.bytesDownloaded()).isEqualTo(onnx.length - 700);
        assertThat(Files.readAllBytes(fixture.install().currentLink().resolve(ReleaseFixtures.ONNX))).isEqualTo(onnx);
    }

    private static void upload(Path store, String name) throws IOException {
        try (Stream<Path> files = Files.walk(store)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = PREFIX + "/" + name + "/" + store.relativize(file).toString().replace('\\', '/');
                client.putObject(PutObjectRequest.builder().bucket(BUCKET).key(key).build(), RequestBody.fromFile(file));
            }
        }
    }
}

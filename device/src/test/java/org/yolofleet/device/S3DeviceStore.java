package org.yolofleet.device;

import com.typesafe.config.ConfigFactory;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ReleaseFixtures;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.Sha256;
import org.yolofleet.device.config.DeviceConfig;
import org.yolofleet.device.config.DeviceConfigLoader;
import org.yolofleet.device.source.S3ReleaseSource;
import org.yolofleet.testing.S3ProxyServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A {@link DeviceFixture} whose store is published to S3Proxy under its own prefix, with releases whose {@code model.onnx}
 * (the cpu profile's artifact) is as large as a test asks, so faults can land mid-body. The device reaches the bucket
 * through an endpoint the test chooses (a {@link org.yolofleet.device.testing.FaultProxy} in front of S3Proxy).
 */
final class S3DeviceStore {
    static final String BUCKET = "fleet";
    static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY));
    /** What an agent in its own JVM needs to reach S3Proxy through the default credential chain. */
    static final Map<String, String> ENVIRONMENT = Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY",
            S3ProxyServer.SECRET_KEY, "AWS_EC2_METADATA_DISABLED", "true");

    final DeviceFixture fixture;
    final String prefix;
    private final S3Client uploader;

    /** {@code uploader} writes straight to S3Proxy (not through the fault proxy). */
    S3DeviceStore(DeviceFixture fixture, S3Client uploader, String prefix) {
        this.fixture = fixture;
        this.uploader = uploader;
        this.prefix = prefix;
    }

    /** The S3Proxy client the publisher uses. */
    static S3Client uploader(S3ProxyServer server) {
        return S3ReleaseSource.client(Optional.of("us-east-1"), Optional.of(server.endpoint()), true, CREDENTIALS, Duration.ofSeconds(30));
    }

    /** Publishes a signed release whose model.onnx has {@code onnxSize} random bytes, uploads it and points the channel at it. */
    ReleaseManifest publish(String version, long sequence, int onnxSize) throws IOException {
        ReleaseManifest small = fixture.release(version, sequence);
        Path directory = fixture.store.resolve(ReleaseLayout.releaseDirectory(DeviceFixture.MODEL, version));
        byte[] onnx = DeviceFixture.randomBytes(onnxSize, 1000 + sequence);
        Files.write(directory.resolve(ReleaseFixtures.ONNX), onnx);
        List<ArtifactEntry> artifacts = small.artifacts().stream()
                .map(entry -> entry.name().equals(ReleaseFixtures.ONNX)
                        ? ArtifactEntry.of(entry.name(), entry.format(), entry.target(), Sha256.of(onnx), entry.producer(), entry.producerVersion())
                        : entry)
                .toList();
        ReleaseManifest manifest = new ReleaseManifest(small.model(), small.version(), small.sequence(), small.createdAt(), small.trainingRunId(),
                small.datasetVersion(), small.parentVersion(), small.projectVersion(), small.forced(), small.decode(), small.metrics(), artifacts,
                small.missingArtifacts());
        byte[] json = manifest.toJson();
        Files.write(directory.resolve(ReleaseLayout.MANIFEST), json);
        Files.write(directory.resolve(ReleaseLayout.SIGNATURE), fixture.signer.sign(json).toJson());
        upload(directory);
        fixture.point(manifest);
        upload(fixture.store.resolve(ReleaseLayout.channelPointer(DeviceFixture.MODEL, DeviceFixture.CHANNEL)));
        return manifest;
    }

    /** The request path of a store path as the proxy sees it: {@code /bucket/prefix/releases/...}. */
    String requestPath(String storePath) {
        return "/" + BUCKET + "/" + prefix + "/" + storePath;
    }

    String artifactPath(String version) {
        return requestPath(ReleaseLayout.artifact(DeviceFixture.MODEL, version, ReleaseFixtures.ONNX));
    }

    String manifestPath(String version) {
        return requestPath(ReleaseLayout.manifest(DeviceFixture.MODEL, version));
    }

    String pointerPath() {
        return requestPath(ReleaseLayout.channelPointer(DeviceFixture.MODEL, DeviceFixture.CHANNEL));
    }

    /** device.conf text for this store reached at {@code endpoint}. */
    String configText(URI endpoint) {
        return fixture.configText("s3://" + BUCKET + "/" + prefix).replaceFirst("\n}\n$",
                "\n  s3 { endpoint = \"" + endpoint + "\", path-style = true, region = us-east-1 }\n}\n");
    }

    DeviceConfig config(URI endpoint) {
        return DeviceConfigLoader.of(ConfigFactory.parseString(configText(endpoint)), fixture.root);
    }

    /** Writes device.conf for {@code endpoint} and returns its path. */
    Path configFile(URI endpoint) throws IOException {
        Path file = fixture.root.resolve("device.conf");
        Files.writeString(file, configText(endpoint));
        return file;
    }

    private void upload(Path path) throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = prefix + "/" + fixture.store.relativize(file).toString().replace('\\', '/');
                uploader.putObject(PutObjectRequest.builder().bucket(BUCKET).key(key).build(), RequestBody.fromFile(file));
            }
        }
    }
}

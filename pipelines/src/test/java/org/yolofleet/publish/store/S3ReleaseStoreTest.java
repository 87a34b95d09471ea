package org.yolofleet.publish.store;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.testing.S3ProxyHadoop;
import org.yolofleet.testing.S3ProxyServer;
import org.yolofleet.testing.SlowDownProxy;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link S3ReleaseStore} against a real S3-protocol server (S3Proxy) on loopback. */
class S3ReleaseStoreTest extends ReleaseStoreContract {
    static final String BUCKET = "yolofleet-releases";
    private static final ReleaseStoreOptions FAST_RETRIES = ReleaseStoreOptions.DEFAULTS.withAttempts(4, Duration.ofMillis(10), Duration.ofMillis(100));

    static S3ProxyServer server;
    private final List<ReleaseStore> opened = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        server = S3ProxyServer.start(Files.createTempDirectory("s3-release-store"), List.of(BUCKET));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeStores() {
        opened.forEach(ReleaseStore::close);
    }

    @Override
    ReleaseStore store() {
        return open(S3ProxyHadoop.hadoopSettings(server).get("fs.s3a.endpoint"), BUCKET, FAST_RETRIES);
    }

    private ReleaseStore open(String endpoint, String bucket, ReleaseStoreOptions options) {
        Configuration configuration = new Configuration(false);
        S3ProxyHadoop.apply(server, configuration);
        configuration.set("fs.s3a.endpoint", endpoint);
        ReleaseStore store = ReleaseStores.open(URI.create("s3a://" + bucket + "/t-" + UUID.randomUUID()), configuration, options);
        opened.add(store);
        return store;
    }

    @Test
    void theProbeAgreesWithWhatTheServerDoesWithAConditionalPut() {
        S3ReleaseStore store = (S3ReleaseStore) store();
        String key = "probe-check-" + UUID.randomUUID();
        boolean refused;
        try (S3Client client = S3Client.builder().endpointOverride(URI.create(server.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1)
                // the SDK's default CRC trailer (aws-chunked) is refused by S3Proxy 2.6.0 (400, x-amz-content-sha256 mismatch)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .build()) {
            client.putObject(request -> request.bucket(BUCKET).key(key), RequestBody.fromString("first"));
            int status;
            try {
                client.putObject(request -> request.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromString("second"));
                status = 200;
            } catch (S3Exception exception) {
                status = exception.statusCode();
            }
            String after = client.getObjectAsBytes(request -> request.bucket(BUCKET).key(key)).asUtf8String();
            int ifMatchStatus;
            try {
                client.putObject(request -> request.bucket(BUCKET).key(key).ifMatch("\"00000000000000000000000000000000\""),
                        RequestBody.fromString("third"));
                ifMatchStatus = 200;
            } catch (S3Exception exception) {
                ifMatchStatus = exception.statusCode();
            }
            System.out.println("S3 server: PUT If-None-Match: * over an existing object answered " + status + " (object then '" + after
                    + "'); PUT If-Match: <wrong ETag> answered " + ifMatchStatus);
            refused = status == 412 && ifMatchStatus == 412;
            assertThat(after).isEqualTo(status == 412 ? "first" : "second");
        }
        assertThat(store.conditionalWritesHonoured()).isEqualTo(refused);
        assertThat(store.list("")).as("the probe object is removed").isEmpty();
    }

    @Test
    void requiredConditionalWritesFailOnAServerThatIgnoresThem() {
        S3ReleaseStore store = (S3ReleaseStore) open(server.endpoint(), BUCKET, FAST_RETRIES.withConditionalWrites(ConditionalWrites.REQUIRED));
        boolean honoured = ((S3ReleaseStore) store()).conditionalWritesHonoured();
        if (honoured) {
            assertThat(store.compareAndSet("channels/m/stable.json", java.util.Optional.empty(), bytes("1")).conditional()).isTrue();
        } else {
            assertThatThrownBy(() -> store.compareAndSet("channels/m/stable.json", java.util.Optional.empty(), bytes("1")))
                    .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                    .hasMessageContaining("conditional-writes = required");
            assertThat(store.exists("channels/m/stable.json")).isFalse();
        }
    }

    @Test
    void offUsesTheReadCompareWriteFallback() {
        ReleaseStore store = open(server.endpoint(), BUCKET, FAST_RETRIES.withConditionalWrites(ConditionalWrites.OFF));
        ChannelWrite write = store.compareAndSet("channels/m/stable.json", java.util.Optional.empty(), bytes("1"));
        assertThat(write.conditional()).isFalse();
        assertThat(store.etag("channels/m/stable.json")).contains(write.etag());
    }

    @Test
    void aMissingBucketOrWrongCredentialsFailWithS3Access() {
        ReleaseStore noBucket = open(server.endpoint(), "no-such-bucket", FAST_RETRIES);
        assertThatThrownBy(() -> noBucket.write("channels/m/stable.json", bytes("1")))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.S3_ACCESS))
                .hasMessageContaining("no-such-bucket").hasMessageContaining("channels/m/stable.json");
        assertThatThrownBy(() -> noBucket.list("releases"))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.S3_ACCESS));

        Configuration configuration = new Configuration(false);
        S3ProxyHadoop.apply(server, configuration);
        configuration.set("fs.s3a.secret.key", "wrong-secret");
        ReleaseStore wrongSecret = ReleaseStores.open(URI.create("s3a://" + BUCKET + "/denied"), configuration, FAST_RETRIES);
        opened.add(wrongSecret);
        assertThatThrownBy(() -> wrongSecret.write("channels/m/stable.json", bytes("1")))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.S3_ACCESS))
                .hasMessageContaining("403");
    }

    @Test
    void retriesThrottlingWithBackoffUpToMaxAttempts() throws IOException {
        try (SlowDownProxy proxy = SlowDownProxy.start(server.endpoint(), 3)) {
            ReleaseStore store = open(proxy.endpoint(), BUCKET, FAST_RETRIES);
            store.write("channels/m/stable.json", bytes("1"));
            assertThat(proxy.refused()).isEqualTo(3);
            assertThat(store.read("channels/m/stable.json")).isEqualTo(bytes("1"));
        }
        try (SlowDownProxy proxy = SlowDownProxy.start(server.endpoint(), 10)) {
            ReleaseStore store = open(proxy.endpoint(), BUCKET, FAST_RETRIES);
            assertThatThrownBy(() -> store.write("channels/m/stable.json", bytes("1")))
                    .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.S3_ACCESS))
                    .hasMessageContaining("503");
            assertThat(proxy.refused()).as("max-attempts = 4").isEqualTo(4);
        }
    }
}

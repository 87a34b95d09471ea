package org.yolofleet.publish.store;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.testing.S3ProxyHadoop;
import org.yolofleet.testing.S3ProxyServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link StagedRelease} on local disk and on S3 (S3Proxy): commits, read-back checks, killed runs and their clean-up. */
class StagedReleaseTest {
    private static final String BUCKET = "yolofleet-staged";

    @TempDir
    static Path directory;
    static S3ProxyServer server;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        server = S3ProxyServer.start(directory, List.of(BUCKET));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static ReleaseStore store(String kind) {
        Configuration configuration = new Configuration(false);
        S3ProxyHadoop.apply(server, configuration);
        URI uri = kind.equals("local")
                ? directory.resolve("local-" + UUID.randomUUID()).toUri()
                : URI.create("s3a://" + BUCKET + "/r-" + UUID.randomUUID());
        return ReleaseStores.open(uri, configuration);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void commitsEveryFileWithTheSignatureAndLeavesNoStaging(String kind) throws IOException {
        try (ReleaseStore store = store(kind)) {
            byte[] artifact = new byte[300_000];
            new Random(3).nextBytes(artifact);
            Path file = Files.write(directory.resolve("model-" + kind + ".blob"), artifact);
            StagedRelease release = StagedRelease.begin(store, "shapes", "1.0.0");
            release.add("model.blob", file);
            release.add("manifest.json", bytes("{\"version\":\"1.0.0\"}"));
            assertThat(StagedRelease.completeVersions(store, "shapes")).isEmpty();
            release.add(StagedRelease.SIGNATURE, bytes("signature"));

            Map<String, FileDigest> committed = release.commit();

            assertThat(store.list("releases/shapes")).containsExactly("releases/shapes/1.0.0/manifest.json",
                    "releases/shapes/1.0.0/manifest.sig", "releases/shapes/1.0.0/model.blob");
            assertThat(StagedRelease.completeVersions(store, "shapes")).containsExactly("1.0.0");
            assertThat(StagedRelease.isComplete(store, "shapes", "1.0.0")).isTrue();
            try (InputStream input = store.open("releases/shapes/1.0.0/model.blob")) {
                assertThat(input.readAllBytes()).isEqualTo(artifact);
            }
            assertThat(committed.get("model.blob").size()).isEqualTo(artifact.length);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void theReadBackCatchesADamagedWrite(String kind) {
        try (ReleaseStore store = new DamagingStore(store(kind), "model.blob")) {
            StagedRelease release = StagedRelease.begin(store, "shapes", "1.0.0");
            release.add("manifest.json", bytes("{}"));

            assertThatThrownBy(() -> release.add("model.blob", bytes("the weights")))
                    .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.IO))
                    .hasMessageContaining("read-back").hasMessageContaining("model.blob");
            release.abort();
            assertThat(store.list("releases")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aKilledRunIsNoReleaseAndIsCleanedUp(String kind) {
        try (ReleaseStore store = store(kind)) {
            StagedRelease complete = StagedRelease.begin(store, "shapes", "1.0.0");
            complete.add("manifest.json", bytes("{}"));
            complete.add(StagedRelease.SIGNATURE, bytes("sig"));
            complete.commit();
            // killed while staging: half of the files written, no commit
            StagedRelease killed = StagedRelease.begin(store, "shapes", "2.0.0");
            killed.add("model.blob", bytes("weights"));
            // killed half-way through an S3 commit: files moved, no signature yet
            store.write("releases/shapes/3.0.0/model.blob", bytes("weights"));

            assertThat(StagedRelease.completeVersions(store, "shapes")).containsExactly("1.0.0");
            assertThat(StagedRelease.isComplete(store, "shapes", "2.0.0")).isFalse();
            assertThat(StagedRelease.isComplete(store, "shapes", "3.0.0")).isFalse();

            List<String> removed = StagedRelease.cleanStale(store, "shapes");

            assertThat(removed).containsExactlyInAnyOrder(killed.stagingPrefix(), "releases/shapes/3.0.0");
            assertThat(store.list("releases/shapes")).containsExactly("releases/shapes/1.0.0/manifest.json", "releases/shapes/1.0.0/manifest.sig");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aRerunRemovesOnlyWhatKilledRunsOfItsOwnVersionLeft(String kind) {
        try (ReleaseStore store = store(kind)) {
            StagedRelease killed = StagedRelease.begin(store, "shapes", "2.0.0");
            killed.add("model.blob", bytes("weights"));
            StagedRelease killedAgain = StagedRelease.begin(store, "shapes", "2.0.0");
            killedAgain.add("model.blob", bytes("weights"));
            store.write("releases/shapes/2.0.0/model.blob", bytes("moved before the kill"));
            // another version's publish, perhaps still writing, and a version whose name starts like this one's
            StagedRelease other = StagedRelease.begin(store, "shapes", "2.0.0-rc1");
            other.add("model.blob", bytes("weights"));
            store.write("releases/shapes/2.0.0-rc1/model.blob", bytes("weights"));

            List<String> removed = StagedRelease.cleanLeftovers(store, "shapes", "2.0.0");

            assertThat(removed).containsExactlyInAnyOrder(killed.stagingPrefix(), killedAgain.stagingPrefix(), "releases/shapes/2.0.0");
            assertThat(store.list("releases/shapes")).containsExactlyInAnyOrder(other.stagingPrefix() + "/model.blob",
                    "releases/shapes/2.0.0-rc1/model.blob");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aSignedReleaseIsNoLeftover(String kind) {
        try (ReleaseStore store = store(kind)) {
            StagedRelease complete = StagedRelease.begin(store, "shapes", "1.0.0");
            complete.add("manifest.json", bytes("{}"));
            complete.add(StagedRelease.SIGNATURE, bytes("sig"));
            complete.commit();

            assertThat(StagedRelease.cleanLeftovers(store, "shapes", "1.0.0")).isEmpty();
            assertThat(StagedRelease.isComplete(store, "shapes", "1.0.0")).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aRerunFinishesOverAnIncompleteReleaseAndNeverReplacesASignedOne(String kind) {
        try (ReleaseStore store = store(kind)) {
            store.write("releases/shapes/1.0.0/model.blob", bytes("left by a killed commit"));
            StagedRelease rerun = StagedRelease.begin(store, "shapes", "1.0.0");
            rerun.add("model.blob", bytes("weights"));
            rerun.add(StagedRelease.SIGNATURE, bytes("sig"));
            rerun.commit();
            assertThat(store.read("releases/shapes/1.0.0/model.blob")).isEqualTo(bytes("weights"));

            StagedRelease same = StagedRelease.begin(store, "shapes", "1.0.0");
            same.add("model.blob", bytes("weights"));
            same.add(StagedRelease.SIGNATURE, bytes("sig"));
            same.commit();

            StagedRelease other = StagedRelease.begin(store, "shapes", "1.0.0");
            other.add("model.blob", bytes("other weights"));
            other.add(StagedRelease.SIGNATURE, bytes("sig"));
            assertThatThrownBy(other::commit)
                    .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.OUTPUT_EXISTS));
            assertThat(store.read("releases/shapes/1.0.0/model.blob")).isEqualTo(bytes("weights"));
            assertThat(store.list("releases/shapes")).containsExactly("releases/shapes/1.0.0/manifest.sig", "releases/shapes/1.0.0/model.blob");
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A store whose writes of one file name arrive with their last byte flipped, as a damaged upload would. */
    private static final class DamagingStore implements ReleaseStore {
        private final ReleaseStore store;
        private final String damagedName;

        DamagingStore(ReleaseStore store, String damagedName) {
            this.store = store;
            this.damagedName = damagedName;
        }

        @Override
        public void write(String key, byte[] content) {
            byte[] written = content.clone();
            if (key.endsWith("/" + damagedName) && written.length > 0) {
                written[written.length - 1] ^= 1;
            }
            store.write(key, written);
        }

        @Override
        public URI uri() {
            return store.uri();
        }

        @Override
        public byte[] read(String key) {
            return store.read(key);
        }

        @Override
        public Optional<byte[]> readIfPresent(String key) {
            return store.readIfPresent(key);
        }

        @Override
        public InputStream open(String key) {
            return store.open(key);
        }

        @Override
        public Optional<StoredObject> stat(String key) {
            return store.stat(key);
        }

        @Override
        public List<String> list(String prefix) {
            return store.list(prefix);
        }

        @Override
        public void write(String key, InputStream content, long size) {
            store.write(key, content, size);
        }

        @Override
        public void write(String key, Path file) {
            store.write(key, file);
        }

        @Override
        public void delete(String prefix) {
            store.delete(prefix);
        }

        @Override
        public void move(String fromKey, String toKey) {
            store.move(fromKey, toKey);
        }

        @Override
        public boolean renamePrefixAtomically(String fromPrefix, String toPrefix) {
            return store.renamePrefixAtomically(fromPrefix, toPrefix);
        }

        @Override
        public ChannelWrite compareAndSet(String key, Optional<String> expectedETag, byte[] content) {
            return store.compareAndSet(key, expectedETag, content);
        }

        @Override
        public void close() {
            store.close();
        }
    }
}

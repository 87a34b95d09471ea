package org.yolofleet.publish.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link ReleaseStore} does, run against each implementation by its test. */
abstract class ReleaseStoreContract {
    @TempDir
    Path scratch;

    /** A store with nothing in it (a fresh directory or prefix per test). */
    abstract ReleaseStore store();

    @Test
    void writesReadsListsAndDeletes() {
        ReleaseStore store = store();
        store.write("releases/m/1.0.0/manifest.json", bytes("{}"));
        store.write("releases/m/1.0.0/manifest.sig", bytes("sig"));
        store.write("releases/m/2.0.0/manifest.json", bytes("{\"v\":2}"));
        store.write("channels/m/stable.json", bytes("1.0.0"));

        assertThat(store.read("releases/m/1.0.0/manifest.sig")).isEqualTo(bytes("sig"));
        assertThat(store.list("releases/m")).containsExactly("releases/m/1.0.0/manifest.json", "releases/m/1.0.0/manifest.sig",
                "releases/m/2.0.0/manifest.json");
        assertThat(store.list("releases/m/1.0")).isEmpty();
        assertThat(store.list("")).hasSize(4);
        assertThat(store.stat("releases/m/2.0.0/manifest.json")).map(StoredObject::size).contains(7L);
        assertThat(store.exists("channels/m/stable.json")).isTrue();

        store.delete("releases/m/1.0.0");
        assertThat(store.list("releases/m")).containsExactly("releases/m/2.0.0/manifest.json");
        assertThat(store.exists("releases/m/1.0.0/manifest.sig")).isFalse();
        store.delete("releases/m/absent");
        store.write("channels/m/stable.json", bytes("2.0.0"));
        assertThat(store.read("channels/m/stable.json")).isEqualTo(bytes("2.0.0"));
    }

    @Test
    void anAbsentKeyIsEmptyOrNotFound() {
        ReleaseStore store = store();
        assertThat(store.readIfPresent("channels/m/stable.json")).isEmpty();
        assertThat(store.etag("channels/m/stable.json")).isEmpty();
        assertThat(store.exists("channels/m/stable.json")).isFalse();
        assertThatThrownBy(() -> store.read("channels/m/stable.json"))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> store.read("../outside")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesLargeFilesAndStreamsWhole() throws IOException {
        ReleaseStore store = store();
        // larger than S3ReleaseStore's multipart threshold: three parts there
        byte[] large = new byte[(int) S3ReleaseStore.MULTIPART_THRESHOLD + S3ReleaseStore.PART_SIZE + 12345];
        new Random(7).nextBytes(large);
        Path file = Files.write(scratch.resolve("model.blob"), large);
        store.write("releases/m/1.0.0/model.blob", file);
        store.write("releases/m/1.0.0/model-copy.blob", new ByteArrayInputStream(large), large.length);
        store.write("releases/m/1.0.0/small.bin", new ByteArrayInputStream(bytes("small")), 5);

        for (String key : new String[] {"releases/m/1.0.0/model.blob", "releases/m/1.0.0/model-copy.blob"}) {
            try (InputStream input = store.open(key)) {
                assertThat(input.readAllBytes()).isEqualTo(large);
            }
            assertThat(store.stat(key)).map(StoredObject::size).contains((long) large.length);
        }
        assertThat(store.read("releases/m/1.0.0/small.bin")).isEqualTo(bytes("small"));
    }

    @Test
    void compareAndSetCreatesOnlyWhatIsAbsent() {
        ReleaseStore store = store();
        ChannelWrite created = store.compareAndSet("channels/m/stable.json", Optional.empty(), bytes("1.0.0"));

        assertThat(store.etag("channels/m/stable.json")).contains(created.etag());
        assertThatThrownBy(() -> store.compareAndSet("channels/m/stable.json", Optional.empty(), bytes("9.9.9")))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CHANNEL_CONFLICT))
                .hasMessageContaining("channels/m/stable.json");
        assertThat(store.read("channels/m/stable.json")).isEqualTo(bytes("1.0.0"));
    }

    @Test
    void compareAndSetReplacesOnlyTheExpectedVersion() {
        ReleaseStore store = store();
        ChannelWrite first = store.compareAndSet("channels/m/stable.json", Optional.empty(), bytes("1.0.0"));
        ChannelWrite second = store.compareAndSet("channels/m/stable.json", Optional.of(first.etag()), bytes("2.0.0"));

        assertThat(second.etag()).isNotEqualTo(first.etag());
        assertThatThrownBy(() -> store.compareAndSet("channels/m/stable.json", Optional.of(first.etag()), bytes("3.0.0")))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CHANNEL_CONFLICT));
        assertThat(store.read("channels/m/stable.json")).isEqualTo(bytes("2.0.0"));
        assertThatThrownBy(() -> store.compareAndSet("channels/m/beta.json", Optional.of(first.etag()), bytes("3.0.0")))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CHANNEL_CONFLICT));
        assertThat(store.exists("channels/m/beta.json")).isFalse();

        store.compareAndSet("channels/m/stable.json", Optional.of(second.etag()), bytes("3.0.0"));
        assertThat(store.read("channels/m/stable.json")).isEqualTo(bytes("3.0.0"));
    }

    @Test
    void movesObjects() {
        ReleaseStore store = store();
        store.write("a/x.bin", bytes("x"));
        store.move("a/x.bin", "b/y.bin");
        assertThat(store.list("")).containsExactly("b/y.bin");
        assertThat(store.read("b/y.bin")).isEqualTo(bytes("x"));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

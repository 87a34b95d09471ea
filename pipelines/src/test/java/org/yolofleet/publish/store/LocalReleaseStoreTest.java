package org.yolofleet.publish.store;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class LocalReleaseStoreTest extends ReleaseStoreContract {
    @Override
    ReleaseStore store() {
        return ReleaseStores.open(scratch.resolve("store").toUri(), new Configuration(false));
    }

    @Test
    void leavesNoTemporaryOrLockFileVisible() throws IOException {
        ReleaseStore store = store();
        store.write("channels/m/stable.json", bytes("1"));
        store.compareAndSet("channels/m/beta.json", Optional.empty(), bytes("1"));

        assertThat(store.list("")).containsExactly("channels/m/beta.json", "channels/m/stable.json");
        try (var files = Files.list(scratch.resolve("store/channels/m"))) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.contains("tmp"))).isEmpty();
        }
    }

    @Test
    void renamesAPrefixAtomicallyOnlyToAFreePlace() {
        ReleaseStore store = store();
        store.write("releases/m/.staging-1/a.bin", bytes("a"));
        store.write("releases/m/1/a.bin", bytes("old"));

        assertThat(store.renamePrefixAtomically("releases/m/.staging-1", "releases/m/1")).isFalse();
        assertThat(store.renamePrefixAtomically("releases/m/.staging-1", "releases/m/2")).isTrue();
        assertThat(store.list("releases/m")).containsExactly("releases/m/1/a.bin", "releases/m/2/a.bin");
    }

    @Test
    void ofConcurrentCompareAndSetsFromOneETagExactlyOneWins() throws Exception {
        ReleaseStore store = store();
        ChannelWrite first = store.compareAndSet("channels/m/stable.json", Optional.empty(), bytes("0"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int writer = 0; writer < 8; writer++) {
                byte[] content = bytes("writer-" + writer);
                attempts.add(pool.submit(() -> {
                    try {
                        store.compareAndSet("channels/m/stable.json", Optional.of(first.etag()), content);
                        return true;
                    } catch (org.yolofleet.core.error.YoloFleetException conflict) {
                        return false;
                    }
                }));
            }
            long winners = 0;
            for (Future<Boolean> attempt : attempts) {
                winners += attempt.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}

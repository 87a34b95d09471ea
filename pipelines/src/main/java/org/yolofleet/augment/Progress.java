package org.yolofleet.augment;

import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Logs how far the per-record work has come while it runs: records done of the total, the rate and an estimate of
 * the time left, every {@code interval}. Counts come from a Spark accumulator, which grows as tasks finish.
 */
final class Progress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final ScheduledExecutorService timer;

    private Progress(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static Progress start(String what, long total, LongAccumulator done, Duration interval) {
        requireNonNull(done, "done");
        Instant started = Instant.now();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "augment-progress");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(() -> {
            long count = done.value();
            double seconds = Math.max(1e-3, Duration.between(started, Instant.now()).toMillis() / 1000.0);
            double rate = count / seconds;
            String left = rate > 0 && count < total ? String.format("%.0f s", (total - count) / rate) : "-";
            LOG.info("{}: {} / {} images ({} %), {} images/s, about {} left", what, count, total,
                    total == 0 ? 100 : 100 * count / total, String.format("%.1f", rate), left);
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new Progress(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

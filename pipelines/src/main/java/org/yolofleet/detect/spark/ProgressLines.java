package org.yolofleet.detect.spark;

import org.apache.spark.util.LongAccumulator;

import java.io.PrintStream;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Prints {@code detect}'s progress line ({@code detect: 400/1000 images (40%), 19.1 images/s, ETA 31 s}) every interval
 * while a Spark job runs, from an accumulator the executors add each image to. Spark reports accumulators as tasks
 * finish, so the count moves by tasks; a daemon thread, stopped by {@link #close}.
 */
final class ProgressLines implements AutoCloseable {
    private final Thread thread;

    private ProgressLines(Thread thread) {
        this.thread = thread;
    }

    /** Starts printing; {@code startNanos} is when the run started ({@link System#nanoTime}). */
    static ProgressLines start(LongAccumulator done, long total, long startNanos, long intervalMillis, PrintStream progress) {
        requireNonNull(done, "done");
        requireNonNull(progress, "progress");
        Thread thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(intervalMillis);
                    long count = done.value();
                    if (count > 0 && count < total) {
                        progress.println(line(count, total, System.nanoTime() - startNanos));
                    }
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }, "detect-progress");
        thread.setDaemon(true);
        thread.start();
        return new ProgressLines(thread);
    }

    /** The one-JVM {@code detect}'s progress line. */
    static String line(long done, long total, long elapsedNanos) {
        double rate = done / (elapsedNanos / 1e9);
        return String.format(Locale.ROOT, "detect: %d/%d images (%.0f%%), %.1f images/s, ETA %.0f s",
                done, total, 100.0 * done / total, rate, (total - done) / rate);
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.yolofleet.device.source;

import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;

import static java.util.Objects.requireNonNull;

/**
 * Exponential backoff with full jitter: before the n-th retry wait a uniformly random time in
 * {@code [0, min(max, initial * 2^(n-1))]}, so a fleet that failed together does not retry together. {@code attempts}
 * counts the first try too.
 */
public final class Backoff {
    /** Waits; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public static final Sleeper THREAD_SLEEP = duration -> Thread.sleep(duration.toMillis());

    private final int attempts;
    private final Duration initial;
    private final Duration maximum;
    private final Random random;
    private final Sleeper sleeper;

    public Backoff(int attempts, Duration initial, Duration maximum, Random random, Sleeper sleeper) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        this.attempts = attempts;
        this.initial = requireNonNull(initial, "initial");
        this.maximum = requireNonNull(maximum, "maximum");
        this.random = requireNonNull(random, "random");
        this.sleeper = requireNonNull(sleeper, "sleeper");
    }

    public int attempts() {
        return attempts;
    }

    /** Whether a failure is worth another attempt: a retryable status, or a connection/read failure; never a missing object. */
    public static boolean retryable(IOException failure) {
        if (failure instanceof SourceException refused) {
            return refused.retryable();
        }
        return !(failure instanceof NoSuchFileException) && !(failure instanceof InterruptedIOException && Thread.currentThread().isInterrupted());
    }

    /** The longest wait before retry {@code retry} (1 for the first retry). */
    public Duration ceiling(int retry) {
        long millis = initial.toMillis();
        for (int i = 1; i < retry && millis < maximum.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maximum.toMillis()));
    }

    /** Waits before retry {@code retry} (1 for the first retry). */
    public void pause(int retry) throws InterruptedIOException {
        long ceiling = ceiling(retry).toMillis();
        long wait;
        synchronized (random) {
            wait = ceiling == 0 ? 0 : (long) (random.nextDouble() * (ceiling + 1));
        }
        try {
            sleeper.sleep(Duration.ofMillis(wait));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}

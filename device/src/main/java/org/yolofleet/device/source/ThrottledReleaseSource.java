package org.yolofleet.device.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Caps the bytes per second read from another source's bodies ({@code device.bandwidth-cap}): a reader that gets ahead
 * of {@code bytesPerSecond} since the first byte is held back until the average is back under the cap. One cap for
 * every stream of the source, so parallel reads share it.
 */
public final class ThrottledReleaseSource implements ReleaseSource {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final ReleaseSource source;
    private final long bytesPerSecond;
    private long start = -1;
    private long granted;

    public ThrottledReleaseSource(ReleaseSource source, long bytesPerSecond) {
        this.source = requireNonNull(source, "source");
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("bytesPerSecond must be positive, got " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public ConditionalResponse getIfChanged(String path, Optional<String> ifNoneMatch) throws IOException {
        return source.getIfChanged(path, ifNoneMatch);
    }

    @Override
    public InputStream open(String path, long offset) throws IOException {
        return new FilterInputStream(source.open(path, offset)) {
            @Override
            public int read() throws IOException {
                int value = super.read();
                if (value >= 0) {
                    take(1);
                }
                return value;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                // small reads keep the stream smooth: at most a tenth of a second's worth at once
                int read = super.read(buffer, offset, (int) Math.max(1, Math.min(length, bytesPerSecond / 10)));
                if (read > 0) {
                    take(read);
                }
                return read;
            }
        };
    }

    /** Waits until {@code count} more bytes keep the average since the start at or under the cap. */
    private void take(long count) throws InterruptedIOException {
        long due;
        synchronized (this) {
            if (start < 0) {
                start = System.nanoTime();
            }
            granted += count;
            due = start + granted * NANOS_PER_SECOND / bytesPerSecond;
        }
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while throttled");
            }
        }
    }

    @Override
    public long size(String path) throws IOException {
        return source.size(path);
    }

    @Override
    public String describe(String path) {
        return source.describe(path);
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}

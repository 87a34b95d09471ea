package org.yolofleet.device.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Retries each request of another source on 5xx, throttling and connection errors ({@link Backoff#retryable}), with
 * exponential backoff and jitter, up to the backoff's attempts; the last failure is rethrown. A failure while reading a
 * body that {@link #open} returned is the reader's to retry (it knows the byte it reached: see
 * {@code install.ArtifactDownload}).
 */
public final class RetryingReleaseSource implements ReleaseSource {
    @FunctionalInterface
    private interface Request<T> {
        T run() throws IOException;
    }

    private final ReleaseSource source;
    private final Backoff backoff;
    private final Consumer<String> onRetry;

    /** {@code onRetry} hears one line per retry (what failed, the attempt), for the event log. */
    public RetryingReleaseSource(ReleaseSource source, Backoff backoff, Consumer<String> onRetry) {
        this.source = requireNonNull(source, "source");
        this.backoff = requireNonNull(backoff, "backoff");
        this.onRetry = requireNonNull(onRetry, "onRetry");
    }

    @Override
    public ConditionalResponse getIfChanged(String path, Optional<String> ifNoneMatch) throws IOException {
        return retry("GET " + path, () -> source.getIfChanged(path, ifNoneMatch));
    }

    @Override
    public InputStream open(String path, long offset) throws IOException {
        return retry("GET " + path + (offset > 0 ? " from byte " + offset : ""), () -> source.open(path, offset));
    }

    @Override
    public long size(String path) throws IOException {
        return retry("HEAD " + path, () -> source.size(path));
    }

    @Override
    public String describe(String path) {
        return source.describe(path);
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    private <T> T retry(String what, Request<T> request) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return request.run();
            }
            catch (IOException failure) {
                if (attempt >= backoff.attempts() || !Backoff.retryable(failure)) {
                    throw failure;
                }
                onRetry.accept("retry=" + attempt + "/" + (backoff.attempts() - 1) + " request=\"" + what + "\" failure=\""
                        + String.valueOf(failure.getMessage()).replace('"', '\'') + "\"");
                backoff.pause(attempt);
            }
        }
    }
}

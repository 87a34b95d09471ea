package org.yolofleet.device.install;

import org.yolofleet.device.source.Backoff;
import org.yolofleet.device.source.ReleaseSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Downloads one object into a file with ranged resume: the file keeps every byte received, and each attempt (a retry
 * after a dropped connection, or the next run after the agent was killed) asks the store only for the bytes from the
 * file's length on. Failures mid-body without progress count against the backoff's attempts; an attempt that made
 * progress starts the count again, so a slow, flaky link still finishes. A request that fails before its body starts
 * (503 SlowDown, a refused connection) ends the download: the source retried it already.
 */
public final class ArtifactDownload {
    private static final int BUFFER = 64 * 1024;

    private final ReleaseSource source;
    private final Backoff backoff;
    private final Consumer<String> onRetry;

    public ArtifactDownload(ReleaseSource source, Backoff backoff, Consumer<String> onRetry) {
        this.source = requireNonNull(source, "source");
        this.backoff = requireNonNull(backoff, "backoff");
        this.onRetry = requireNonNull(onRetry, "onRetry");
    }

    /**
     * Brings {@code target} to {@code size} bytes of the object at {@code path}, resuming from its length (a file longer
     * than {@code size} starts again), and fsyncs it. Returns the bytes fetched by this call. The content is not checked
     * here: the caller verifies size and SHA-256 against the signed manifest.
     */
    public long fetch(String path, Path target, long size) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        if (Files.exists(target) && Files.size(target) > size) {
            Files.delete(target);
        }
        long fetched = 0;
        int failures = 0;
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (out.size() < size) {
                long start = out.size();
                // a request that fails before its body starts is the source's to retry (RetryingReleaseSource has, with
                // backoff, up to the attempts): retrying it here as well would multiply the attempts against a throttling store
                InputStream body = source.open(path, start);
                try (InputStream input = body) {
                    byte[] buffer = new byte[BUFFER];
                    long have = start;
                    while (have < size) {
                        int read = input.read(buffer, 0, (int) Math.min(buffer.length, size - have));
                        if (read < 0) {
                            throw new IOException(source.describe(path) + " ended at byte " + have + " of " + size);
                        }
                        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
                        while (chunk.hasRemaining()) {
                            out.write(chunk);
                        }
                        have += read;
                        fetched += read;
                    }
                }
                catch (IOException failure) {
                    boolean progressed = out.size() > start;
                    failures = progressed ? 1 : failures + 1;
                    if (!Backoff.retryable(failure) || failures >= backoff.attempts()) {
                        out.force(true);
                        throw failure;
                    }
                    onRetry.accept("resume=" + out.size() + "/" + size + " object=\"" + source.describe(path) + "\" failure=\""
                            + String.valueOf(failure.getMessage()).replace('"', '\'') + "\"");
                    backoff.pause(failures);
                }
            }
            out.force(true);
        }
        return fetched;
    }
}

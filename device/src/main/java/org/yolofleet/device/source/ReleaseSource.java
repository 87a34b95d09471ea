package org.yolofleet.device.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads a release store ({@code s3://}, {@code file:}, {@code https://}) by the paths of
 * {@link org.yolofleet.core.release.ReleaseLayout} ({@code channels/m/stable.json}, {@code releases/m/v/model.onnx}),
 * one request per call, so a caller can count what a sync costs. Every implementation reports:
 * <ul>
 *   <li>a missing object as {@link java.nio.file.NoSuchFileException} naming it;</li>
 *   <li>a refused request as a {@link SourceException} with the status and whether retrying may help (5xx,
 *       throttling, 429: yes; 403, 400: no);</li>
 *   <li>a connection or read failure as a plain {@link IOException}, which {@link RetryingReleaseSource} retries.</li>
 * </ul>
 * Retries, backoff and the bandwidth cap are decorators ({@link RetryingReleaseSource}, {@link ThrottledReleaseSource}).
 */
public interface ReleaseSource extends Closeable {
    /**
     * A conditional GET of a small object (a channel pointer): with {@code ifNoneMatch}, an object whose ETag equals it is
     * answered "not modified" without its body.
     */
    ConditionalResponse getIfChanged(String path, Optional<String> ifNoneMatch) throws IOException;

    /**
     * A GET of the object's bytes from {@code offset} to its end (a {@code Range: bytes=offset-} request when offset &gt; 0):
     * how a partial download resumes. The caller closes the stream; a read that fails mid-body throws {@link IOException}.
     */
    InputStream open(String path, long offset) throws IOException;

    /** A HEAD of the object: its size in bytes. */
    long size(String path) throws IOException;

    /** Where a path is, for messages ({@code s3://bucket/prefix/path}). */
    String describe(String path);

    @Override
    default void close() throws IOException {
    }
}

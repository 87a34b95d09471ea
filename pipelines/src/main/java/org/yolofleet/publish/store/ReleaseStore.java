package org.yolofleet.publish.store;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the publish stage keeps releases and channel pointers: a flat space of keys ({@code releases/m/1.2.0/model.blob},
 * {@code channels/m/stable.json}) below one root URI, on local disk ({@link LocalReleaseStore}) or S3
 * ({@link S3ReleaseStore}). Every write is whole or absent to a reader: a reader never sees half an object.
 * Keys are relative, separated by '/', without empty, '.' or '..' segments. Failures are
 * {@link org.yolofleet.core.error.YoloFleetException}s: S3_ACCESS (S3) or IO (disk); a channel that moved is
 * CHANNEL_CONFLICT.
 */
public interface ReleaseStore extends AutoCloseable {
    /** The root of the store, as given to {@link ReleaseStores#open}. */
    URI uri();

    /** The whole object; NOT_FOUND when absent. */
    byte[] read(String key);

    Optional<byte[]> readIfPresent(String key);

    /** A stream over the object (for artifacts too large to hold in memory); NOT_FOUND when absent. The caller closes it. */
    InputStream open(String key);

    /** Size and ETag of the object, empty when absent. */
    Optional<StoredObject> stat(String key);

    default boolean exists(String key) {
        return stat(key).isPresent();
    }

    /** The ETag of the object (opaque: compare it, pass it to {@link #compareAndSet}), empty when absent. */
    default Optional<String> etag(String key) {
        return stat(key).map(StoredObject::etag);
    }

    /** Every key below {@code prefix} (the keys that start with {@code prefix + "/"}; all keys for ""), sorted. */
    List<String> list(String prefix);

    void write(String key, byte[] content);

    /** Writes {@code size} bytes from {@code content} without holding them all in memory. */
    void write(String key, InputStream content, long size);

    /** Writes the file's bytes without holding them all in memory. */
    void write(String key, Path file);

    /** Deletes the object {@code prefix} and every object below it; nothing when there is none. */
    void delete(String prefix);

    /** Moves one object to another key (replacing what is there). Not atomic on S3 (copy, then delete). */
    void move(String fromKey, String toKey);

    /**
     * Moves everything below {@code fromPrefix} to below {@code toPrefix} in one atomic step where the store can (a
     * directory rename on local disk) and returns true; returns false, having changed nothing, where it cannot (S3) or
     * where {@code toPrefix} already holds something.
     */
    boolean renamePrefixAtomically(String fromPrefix, String toPrefix);

    /**
     * Replaces the object at {@code key} with {@code content} only if its current ETag is {@code expectedETag}, or, with
     * an empty {@code expectedETag}, only if it is absent. Fails with CHANNEL_CONFLICT, changing nothing, otherwise.
     * How strong the guarantee is depends on the store: see {@link LocalReleaseStore} and {@link S3ReleaseStore}.
     */
    ChannelWrite compareAndSet(String key, Optional<String> expectedETag, byte[] content);

    /** Releases the store's connections; the default does nothing. */
    @Override
    default void close() {
    }
}

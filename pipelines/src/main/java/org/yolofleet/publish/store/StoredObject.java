package org.yolofleet.publish.store;

import static java.util.Objects.requireNonNull;

/** What a store says about one object: its key, size in bytes and ETag (opaque, store-specific). */
public record StoredObject(String key, long size, String etag) {
    public StoredObject {
        requireNonNull(key, "key");
        requireNonNull(etag, "etag");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }
}

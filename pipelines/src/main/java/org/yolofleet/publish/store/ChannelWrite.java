package org.yolofleet.publish.store;

import static java.util.Objects.requireNonNull;

/**
 * A successful {@link ReleaseStore#compareAndSet}: the key written and its new ETag, which the next compare-and-set of
 * the same channel expects. {@code conditional} says whether the store enforced the condition atomically (a
 * conditional PUT, a lock) or only checked it before writing (the read-compare-write fallback).
 */
public record ChannelWrite(String key, String etag, boolean conditional) {
    public ChannelWrite {
        requireNonNull(key, "key");
        requireNonNull(etag, "etag");
    }
}

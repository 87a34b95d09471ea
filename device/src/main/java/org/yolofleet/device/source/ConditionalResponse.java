package org.yolofleet.device.source;

import java.util.Arrays;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The answer to a conditional GET: not modified (no body), or the object's bytes and its ETag.
 *
 * @param body the object's bytes; empty when not modified
 * @param etag the object's ETag as the store sends it (quotes included); empty when the store gives none
 */
public record ConditionalResponse(Optional<byte[]> body, Optional<String> etag) {
    public ConditionalResponse {
        requireNonNull(body, "body");
        requireNonNull(etag, "etag");
    }

    public static ConditionalResponse notModified(Optional<String> etag) {
        return new ConditionalResponse(Optional.empty(), etag);
    }

    public static ConditionalResponse modified(byte[] body, Optional<String> etag) {
        return new ConditionalResponse(Optional.of(requireNonNull(body, "body").clone()), etag);
    }

    public boolean modified() {
        return body.isPresent();
    }

    @Override
    public String toString() {
        return modified() ? "modified(" + body.get().length + " bytes, etag " + etag.orElse("none") + ")" : "not modified";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConditionalResponse that && etag.equals(that.etag) && body.isPresent() == that.body.isPresent()
                && (body.isEmpty() || Arrays.equals(body.get(), that.body.get()));
    }

    @Override
    public int hashCode() {
        return etag.hashCode() * 31 + body.map(Arrays::hashCode).orElse(0);
    }
}

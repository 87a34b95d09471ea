package org.yolofleet.core.release;

import static java.util.Objects.requireNonNull;

/**
 * A release whose manifest carries a trusted signature.
 *
 * @param manifest the parsed manifest
 * @param keyId the id of the trusted key that signed it
 * @param manifestSha256 the SHA-256 of the manifest's bytes, what a channel pointer names
 */
public record VerifiedRelease(ReleaseManifest manifest, String keyId, String manifestSha256) {
    public VerifiedRelease {
        requireNonNull(manifest, "manifest");
        requireNonNull(keyId, "keyId");
        Sha256.requireHex(manifestSha256, "manifestSha256");
    }
}

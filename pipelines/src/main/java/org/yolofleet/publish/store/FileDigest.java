package org.yolofleet.publish.store;

import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** Size in bytes and SHA-256 (lower-case hex) of one file of a release, as written and as read back. */
public record FileDigest(long size, String sha256) {
    private static final Pattern HEX_256 = Pattern.compile("[0-9a-f]{64}");

    public FileDigest {
        requireNonNull(sha256, "sha256");
        if (size < 0 || !HEX_256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a file digest: size " + size + ", sha256 " + sha256);
        }
    }
}

package org.yolofleet.core.release;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * SHA-256 digests as release files write them: 64 lower-case hex digits. Streams are digested in chunks, so an artifact
 * of any size is never held in memory.
 *
 * @param hex the digest, 64 lower-case hex digits
 * @param size the number of bytes digested
 */
public record Sha256(String hex, long size) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final int CHUNK = 64 * 1024;

    public Sha256 {
        requireHex(hex, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
    }

    /** {@code hex} unless it is not 64 lower-case hex digits ({@link IllegalArgumentException} naming {@code what}). */
    public static String requireHex(String hex, String what) {
        requireNonNull(hex, what);
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(what + " must be 64 lower-case hex digits, got '" + hex + "'");
        }
        return hex;
    }

    public static Sha256 of(byte[] bytes) {
        requireNonNull(bytes, "bytes");
        return new Sha256(HexFormat.of().formatHex(digest().digest(bytes)), bytes.length);
    }

    /**
     * The digest of the stream's bytes, reading at most {@code limit + 1} of them: when the size exceeds {@code limit}
     * the result's size is {@code limit + 1} and its digest covers only what was read, so a caller that expects
     * {@code limit} bytes sees the mismatch without reading an arbitrarily long stream to its end.
     */
    public static Sha256 of(InputStream input, long limit) throws IOException {
        requireNonNull(input, "input");
        if (limit < 0 || limit == Long.MAX_VALUE) {
            throw new IllegalArgumentException("limit must be in [0, Long.MAX_VALUE), got " + limit);
        }
        MessageDigest digest = digest();
        byte[] buffer = new byte[CHUNK];
        long size = 0;
        while (size <= limit) {
            int read = input.read(buffer, 0, (int) Math.min(buffer.length, limit + 1 - size));
            if (read < 0) {
                break;
            }
            digest.update(buffer, 0, read);
            size += read;
        }
        return new Sha256(HexFormat.of().formatHex(digest.digest()), size);
    }

    /** The digest of the whole stream. */
    public static Sha256 of(InputStream input) throws IOException {
        return of(input, Long.MAX_VALUE - 1);
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "this JVM has no SHA-256", e);
        }
    }
}

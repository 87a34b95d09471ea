package org.yolofleet.prepare;

import org.yolofleet.stage.Split;

import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Assigns an image to train or val. The hash split depends only on the image's content hash and the salt, so
 * adding images to a dataset never moves an existing image between splits.
 */
public final class SplitAssigner implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    static final int BUCKETS = 10_000;

    private final double valFraction;
    private final String salt;

    public SplitAssigner(double valFraction, String salt) {
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("valFraction must be in [0, 1), got " + valFraction);
        }
        this.valFraction = valFraction;
        this.salt = requireNonNull(salt, "salt");
    }

    /** Bucket in [0, 10000) drawn from sha256(salt + ':' + contentHash). */
    public int bucket(String contentHash) {
        byte[] digest = sha256((salt + ":" + contentHash).getBytes(StandardCharsets.UTF_8));
        long value = 0;
        for (int index = 0; index < 8; index++) {
            value = (value << 8) | (digest[index] & 0xFF);
        }
        return (int) Long.remainderUnsigned(value, BUCKETS);
    }

    public Split byHash(String contentHash) {
        return bucket(contentHash) < Math.round(valFraction * BUCKETS) ? Split.VAL : Split.TRAIN;
    }

    /** The split an ImageSets list gives for this image id, else the hash split. */
    public Split byImageSets(Map<String, Split> imageSets, String imageId, String contentHash) {
        return Optional.ofNullable(imageSets.get(imageId)).orElseGet(() -> byHash(contentHash));
    }

    static byte[] sha256(byte[] bytes) {
        return newSha256().digest(bytes);
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}

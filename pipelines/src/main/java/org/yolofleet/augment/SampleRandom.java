package org.yolofleet.augment;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

import static java.util.Objects.requireNonNull;

/**
 * The random stream of one output sample, seeded from (run seed, image id, copy index) only. Which executor, task
 * or partition handles an image never changes what it draws, so reruns and different partitionings give the same
 * bytes.
 */
public final class SampleRandom {
    private SampleRandom() {
    }

    public static SplittableRandom of(long seed, String imageId, int copy) {
        return new SplittableRandom(seedOf(seed, imageId, copy, "augment"));
    }

    /**
     * A 64-bit value fixed by (seed, image id, copy, purpose): the first eight bytes of SHA-256 over them. Different
     * purposes (augmenting, choosing preview samples) give unrelated values.
     */
    public static long seedOf(long seed, String imageId, int copy, String purpose) {
        requireNonNull(imageId, "imageId");
        requireNonNull(purpose, "purpose");
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(ByteBuffer.allocate(Long.BYTES + Integer.BYTES).putLong(seed).putInt(copy).array());
            digest.update(purpose.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(imageId.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest.digest()).getLong();
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java platform has SHA-256", impossible);
        }
    }
}

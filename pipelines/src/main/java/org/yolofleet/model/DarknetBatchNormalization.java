package org.yolofleet.model;

/**
 * Darknet's batch normalisation in DL4J's terms, exactly.
 *
 * <p>Darknet (pjreddie) normalises with {@code (x - mean) / (sqrt(variance) + 1e-6)}; DL4J with
 * {@code (x - mean) / sqrt(variance' + eps)}. With {@code eps = 1e-12 = (1e-6)^2} and
 * <pre>{@code variance' = (sqrt(variance) + 1e-6)^2 - 1e-12 = variance + 2e-6 * sqrt(variance)}</pre>
 * the two denominators are equal for every variance, zero included ({@code variance' = 0}, denominator {@code 1e-6}).
 * The network stores {@code variance'} (float32, computed in double and rounded once); export inverts it with
 * {@code variance = (sqrt(variance' + 1e-12) - 1e-6)^2}, computed as {@code (variance' / (sqrt(variance' + 1e-12) + 1e-6))^2}
 * in double (the same value without cancellation). A negative or non-finite network value exports as NaN, which
 * Darknet would compute with too.
 *
 * <p>Float32 cannot make that inverse exact: the map shrinks relative spacing ({@code d variance'/variance'} is
 * smaller than {@code d variance/variance}), so distinct float variances can share one {@code variance'} (measured on
 * uniform samples per decade: about half between 1e-30 and 1e-19, a quarter around 1e-12, 1 in 10^4 around 1e-4,
 * 2 in 10^6 around 1, none above 100). Export therefore writes the imported Darknet
 * value whenever the network still holds exactly the {@code variance'} it encodes to ({@link #toDarknetVariance(float,
 * float)}), which makes import then export bit-exact; a variance changed by training has no original and gets the
 * inverse, the float whose encoding equals the network's value when there is one.
 */
public final class DarknetBatchNormalization {
    /** What Darknet adds to the standard deviation. */
    public static final double DARKNET_EPSILON = 1e-6;
    /** DL4J's epsilon (added to the variance under the square root): {@code DARKNET_EPSILON^2}. */
    public static final double DL4J_EPSILON = DARKNET_EPSILON * DARKNET_EPSILON;

    private static final int INVERSE_SEARCH_ULPS = 4;

    private DarknetBatchNormalization() {}

    /** The DL4J variance that makes DL4J divide by Darknet's {@code sqrt(variance) + 1e-6}; the variance must be >= 0. */
    public static float toDl4jVariance(float darknetVariance) {
        if (!(darknetVariance >= 0) || Float.isInfinite(darknetVariance)) {
            throw new IllegalArgumentException("a variance must be finite and not negative, got " + darknetVariance);
        }
        double variance = darknetVariance;
        return (float) (variance + 2 * DARKNET_EPSILON * Math.sqrt(variance));
    }

    /**
     * The Darknet variance of a DL4J variance: the float nearest to the exact inverse among those that encode back to
     * {@code dl4jVariance}, or the nearest float to the inverse when none does (a value training produced).
     */
    public static float toDarknetVariance(float dl4jVariance) {
        if (!(dl4jVariance >= 0) || Float.isInfinite(dl4jVariance)) {
            return Float.NaN;
        }
        // sqrt(w + e^2) - e, written without the cancellation that loses all digits for tiny w
        double standardDeviation = dl4jVariance / (Math.sqrt(dl4jVariance + DL4J_EPSILON) + DARKNET_EPSILON);
        double exact = standardDeviation * standardDeviation;
        float nearest = (float) exact;
        float best = nearest;
        double bestDistance = Double.POSITIVE_INFINITY;
        float candidate = nearest;
        for (int step = 0; step < INVERSE_SEARCH_ULPS && candidate > 0; step++) {
            candidate = Math.nextDown(candidate);
        }
        for (int step = 0; step <= 2 * INVERSE_SEARCH_ULPS; step++, candidate = Math.nextUp(candidate)) {
            if (candidate >= 0 && Float.floatToIntBits(toDl4jVariance(candidate)) == Float.floatToIntBits(dl4jVariance)
                    && Math.abs(candidate - exact) < bestDistance) {
                best = candidate;
                bestDistance = Math.abs(candidate - exact);
            }
        }
        return best;
    }

    /** {@code original} when it still encodes to {@code dl4jVariance} bit for bit, else {@link #toDarknetVariance(float)}. */
    public static float toDarknetVariance(float dl4jVariance, float original) {
        if (original >= 0 && Float.isFinite(original)
                && Float.floatToIntBits(toDl4jVariance(original)) == Float.floatToIntBits(dl4jVariance)) {
            return original;
        }
        return toDarknetVariance(dl4jVariance);
    }
}

package org.yolofleet.core.onnx;

/**
 * IEEE 754 binary16 ("half", ONNX {@code FLOAT16}) bit patterns, for the FP16 export: Java 17 has no half type (JDK 20
 * added {@code Float.floatToFloat16}).
 *
 * <p>{@link #toBits(double)} rounds once, from double, to the nearest half, ties to even, so a value folded in double
 * precision is not rounded twice on its way through float. Half has 1 sign bit, 5 exponent bits (bias 15) and 10
 * fraction bits: the largest finite value is {@value #MAX_VALUE}, the smallest normal 2^-14, the smallest subnormal
 * 2^-24 (about 5.96e-8); magnitudes from 65520 (halfway to 2^16) up round to infinity, below 2^-25 to zero.
 */
public final class Float16 {
    /** The largest finite half, {@code 0x7BFF}. */
    public static final double MAX_VALUE = 65504;
    public static final short POSITIVE_INFINITY = 0x7C00;
    public static final short NEGATIVE_INFINITY = (short) 0xFC00;
    /** The quiet NaN written for every NaN (sign kept). */
    public static final short NAN = 0x7E00;

    private static final int SIGN = 0x8000;
    private static final int EXPONENT_BIAS = 15;
    private static final int FRACTION_BITS = 10;
    private static final int IMPLICIT_ONE = 1 << FRACTION_BITS;
    private static final int FRACTION_MASK = IMPLICIT_ONE - 1;
    private static final int EXPONENT_MASK = 0x1F;
    private static final int MAX_EXPONENT = 15;
    private static final int MIN_NORMAL_EXPONENT = -14;
    /** Subnormals are multiples of 2^-24. */
    private static final int SUBNORMAL_SCALE = -MIN_NORMAL_EXPONENT + FRACTION_BITS;

    private Float16() {}

    /** The half nearest to {@code value} (ties to even), as its bit pattern; infinity beyond the range, NaN kept. */
    public static short toBits(double value) {
        int sign = (Double.doubleToRawLongBits(value) < 0) ? SIGN : 0;
        if (Double.isNaN(value)) {
            return (short) (sign | NAN);
        }
        double magnitude = Math.abs(value);
        if (magnitude == Double.POSITIVE_INFINITY) {
            return (short) (sign | POSITIVE_INFINITY);
        }
        int exponent = Math.getExponent(magnitude);
        if (exponent < MIN_NORMAL_EXPONENT) {
            // subnormal (or zero): a count of 2^-24, rounded to even; 1024 of them is the smallest normal, whose bits
            // follow on from the subnormals' (exponent field 1, fraction 0)
            int count = (int) Math.rint(Math.scalb(magnitude, SUBNORMAL_SCALE));
            return (short) (sign | count);
        }
        // normal: the significand as an integer in [1024, 2048), rounded to even; scalb and rint are exact in double
        int significand = (int) Math.rint(Math.scalb(magnitude, FRACTION_BITS - exponent));
        if (significand == 2 * IMPLICIT_ONE) {
            significand = IMPLICIT_ONE;
            exponent++;
        }
        if (exponent > MAX_EXPONENT) {
            return (short) (sign | POSITIVE_INFINITY);
        }
        return (short) (sign | (exponent + EXPONENT_BIAS) << FRACTION_BITS | (significand - IMPLICIT_ONE));
    }

    /** The value of a half bit pattern, exactly (every half is a double). */
    public static double toDouble(short bits) {
        int pattern = Short.toUnsignedInt(bits);
        double sign = (pattern & SIGN) != 0 ? -1 : 1;
        int exponentField = (pattern >>> FRACTION_BITS) & EXPONENT_MASK;
        int fraction = pattern & FRACTION_MASK;
        if (exponentField == EXPONENT_MASK) {
            return fraction == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (exponentField == 0) {
            return sign * Math.scalb((double) fraction, -SUBNORMAL_SCALE);
        }
        return sign * Math.scalb((double) (IMPLICIT_ONE + fraction), exponentField - EXPONENT_BIAS - FRACTION_BITS);
    }

    /** Whether the bit pattern is plus or minus infinity. */
    public static boolean isInfinite(short bits) {
        return (bits & 0x7FFF) == POSITIVE_INFINITY;
    }
}

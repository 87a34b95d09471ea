package org.yolofleet.core.onnx;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Float16Test {
    @Test
    void knownBitPatterns() {
        assertBits(1.0, 0x3C00);
        assertBits(-2.0, 0xC000);
        assertBits(0.5, 0x3800);
        assertBits(0.1, 0x2E66);
        assertBits(1.0 / 3, 0x3555);
        assertBits(65504, 0x7BFF);
        assertBits(-65504, 0xFBFF);
        assertBits(Math.scalb(1.0, -14), 0x0400);
        assertBits(1023 * Math.scalb(1.0, -24), 0x03FF);
        assertBits(Math.scalb(1.0, -24), 0x0001);
        assertBits(5.96e-8, 0x0001);
        assertBits(0.0, 0x0000);
        assertBits(-0.0, 0x8000);
    }

    @Test
    void beyondTheRangeIsInfinityAndNaNStaysNaN() {
        assertBits(65519.99, 0x7BFF);
        assertBits(65520, 0x7C00);
        assertBits(-65520, 0xFC00);
        assertBits(1e10, 0x7C00);
        assertBits(Double.MAX_VALUE, 0x7C00);
        assertBits(Double.POSITIVE_INFINITY, 0x7C00);
        assertBits(Double.NEGATIVE_INFINITY, 0xFC00);
        assertBits(Double.NaN, 0x7E00);
        assertThat(Float16.isInfinite(Float16.toBits(70000))).isTrue();
        assertThat(Float16.isInfinite(Float16.toBits(65504))).isFalse();
        assertThat(Float16.toDouble((short) 0x7C00)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Float16.toDouble((short) 0xFC00)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Float16.toDouble((short) 0x7E00)).isNaN();
        assertThat(Float16.toDouble((short) 0xFC01)).isNaN();
    }

    @Test
    void tiesGoToTheEvenNeighbour() {
        double ulpAtOne = Math.scalb(1.0, -10);
        assertBits(1 + ulpAtOne / 2, 0x3C00);
        assertBits(1 + 3 * ulpAtOne / 2, 0x3C02);
        assertBits(2049, 0x6800);
        assertBits(2051, 0x6802);
        // subnormal ties: 0.5 and 1.5 units of 2^-24, and the tie between the largest subnormal and the smallest normal
        assertBits(Math.scalb(1.0, -25), 0x0000);
        assertBits(3 * Math.scalb(1.0, -25), 0x0002);
        assertBits(1023.5 * Math.scalb(1.0, -24), 0x0400);
        assertBits(Math.nextUp(Math.scalb(1.0, -25)), 0x0001);
        assertBits(-Math.scalb(1.0, -25), 0x8000);
    }

    @Test
    void roundsOnceFromDoubleNotTwiceThroughFloat() {
        // 1 + 2^-11 + 2^-40 is just above the tie between 1 and 1 + 2^-10; float drops the 2^-40, leaving the tie
        double value = 1 + Math.scalb(1.0, -11) + Math.scalb(1.0, -40);
        assertThat(Float16.toBits((float) value)).isEqualTo((short) 0x3C00);
        assertBits(value, 0x3C01);
    }

    @Test
    void everyHalfRoundTripsAndEveryMidpointGoesToTheEvenNeighbour() {
        for (int bits = 0; bits < 0x7C00; bits++) {
            for (int sign : new int[] {0, 0x8000}) {
                short half = (short) (sign | bits);
                double value = Float16.toDouble(half);
                assertThat(Float16.toBits(value)).as("0x%04X", half).isEqualTo(half);
                double next = Float16.toDouble((short) (sign | (bits + 1)));
                if (bits + 1 < 0x7C00) {
                    double midpoint = (value + next) / 2;
                    short even = (bits % 2 == 0) ? half : (short) (sign | (bits + 1));
                    assertThat(Float16.toBits(midpoint)).as("midpoint after 0x%04X", half).isEqualTo(even);
                    assertThat(Float16.toBits(Math.nextDown(Math.abs(midpoint)) * Math.signum(next))).as("below midpoint after 0x%04X", half)
                            .isEqualTo(half);
                    assertThat(Float16.toBits(Math.nextUp(Math.abs(midpoint)) * Math.signum(next))).as("above midpoint after 0x%04X", half)
                            .isEqualTo((short) (sign | (bits + 1)));
                }
            }
        }
        assertThat(Float16.toDouble((short) 0x3C00)).isEqualTo(1.0);
        assertThat(Float16.toDouble((short) 0x7BFF)).isEqualTo(65504.0);
        assertThat(Float16.toDouble((short) 0x0001)).isEqualTo(Math.scalb(1.0, -24));
        assertThat(Float16.toDouble((short) 0x8000)).isEqualTo(-0.0);
    }

    private static void assertBits(double value, int expected) {
        assertThat(Float16.toBits(value)).as("%s", value).isEqualTo((short) expected);
    }
}

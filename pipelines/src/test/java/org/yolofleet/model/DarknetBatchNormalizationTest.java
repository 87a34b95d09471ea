package org.yolofleet.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DarknetBatchNormalizationTest {
    private static final int SAMPLES = 200_000;

    @Test
    void dl4jDenominatorEqualsDarknets() {
        Random random = new Random(1);
        for (int sample = 0; sample < SAMPLES; sample++) {
            float variance = ModelFixtures.extremeVariance(random, sample);
            float encoded = DarknetBatchNormalization.toDl4jVariance(variance);
            // DL4J computes sqrt(var + eps) in float32
            float dl4jDenominator = (float) Math.sqrt(encoded + (float) DarknetBatchNormalization.DL4J_EPSILON);
            double darknetDenominator = Math.sqrt(variance) + 1e-6;
            assertThat(Math.abs(dl4jDenominator - darknetDenominator) / darknetDenominator).as("variance %s", variance).isLessThan(2e-7);
        }
        assertThat(DarknetBatchNormalization.toDl4jVariance(0f)).isZero();
    }

    @Test
    void exportWithTheImportedValueIsBitExact() {
        Random random = new Random(2);
        for (int sample = 0; sample < SAMPLES; sample++) {
            float variance = ModelFixtures.extremeVariance(random, sample);
            float encoded = DarknetBatchNormalization.toDl4jVariance(variance);
            assertThat(Float.floatToIntBits(DarknetBatchNormalization.toDarknetVariance(encoded, variance)))
                    .as("variance %s", variance)
                    .isEqualTo(Float.floatToIntBits(variance));
        }
    }

    /** Without the imported value the inverse still encodes back to the network's value: export then import is exact. */
    @Test
    void inverseEncodesBackToTheNetworksValue() {
        Random random = new Random(3);
        int exact = 0;
        for (int sample = 0; sample < SAMPLES; sample++) {
            float variance = ModelFixtures.extremeVariance(random, sample);
            float encoded = DarknetBatchNormalization.toDl4jVariance(variance);
            float decoded = DarknetBatchNormalization.toDarknetVariance(encoded);
            assertThat(Float.floatToIntBits(DarknetBatchNormalization.toDl4jVariance(decoded))).as("variance %s", variance)
                    .isEqualTo(Float.floatToIntBits(encoded));
            exact += decoded == variance ? 1 : 0;
        }
        // float32 cannot invert every variance (see the class comment): most of the extreme ones still come back exactly
        assertThat(exact).isGreaterThan(SAMPLES / 2);
    }

    @Test
    void ordinaryVariancesInvertExactlyWithoutTheImportedValue() {
        Random random = new Random(4);
        for (int sample = 0; sample < SAMPLES; sample++) {
            float variance = (float) (100 + 1e4 * random.nextDouble());
            assertThat(DarknetBatchNormalization.toDarknetVariance(DarknetBatchNormalization.toDl4jVariance(variance))).isEqualTo(variance);
        }
    }

    @Test
    void trainedVarianceWithoutAnEncodingGetsTheNearestInverse() {
        // a value next to an encoded one need not be an encoding itself; the result is still the closest float
        float trained = Math.nextUp(DarknetBatchNormalization.toDl4jVariance(1e-20f));
        double exact = Math.pow(Math.sqrt(trained + 1e-12) - 1e-6, 2);
        assertThat((double) DarknetBatchNormalization.toDarknetVariance(trained)).isCloseTo(exact, org.assertj.core.api.Assertions.withinPercentage(1e-4));
        assertThat(DarknetBatchNormalization.toDarknetVariance(0f)).isZero();
    }

    @Test
    void negativeOrNonFiniteVariancesAreRefused() {
        assertThatThrownBy(() -> DarknetBatchNormalization.toDl4jVariance(-1e-3f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DarknetBatchNormalization.toDl4jVariance(Float.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DarknetBatchNormalization.toDl4jVariance(Float.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }
}

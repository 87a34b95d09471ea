package org.yolofleet.core.darknet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FoldedConvolutionTest {
    @Test
    void foldingUsesDarknetsDivisorInDoublePrecision() {
        float[] weights = {2, -1};
        FoldedConvolution folded = FoldedConvolution.of(ConvolutionalWeights.withBatchNormalization(
                new float[] {1}, new float[] {3}, new float[] {0.5f}, new float[] {4}, weights));
        double factor = 3 / (2 + (double) 0.000001f);
        assertThat(folded.weights()).containsExactly(2 * factor, -factor);
        assertThat(folded.biases()).containsExactly(1 - 0.5 * factor);
        assertThat(folded.floatWeights()).containsExactly((float) (2 * factor), (float) (-factor));
        assertThat(folded.floatBiases()).containsExactly((float) (1 - 0.5 * factor));

        FoldedConvolution zeroVariance = FoldedConvolution.of(ConvolutionalWeights.withBatchNormalization(
                new float[] {0}, new float[] {1e-6f}, new float[] {0}, new float[] {0}, new float[] {1}));
        assertThat(zeroVariance.weights()[0]).isCloseTo(1, within(1e-6));
    }

    @Test
    void aLayerWithoutBatchNormalisationKeepsItsWeightsAndBiases() {
        FoldedConvolution folded = FoldedConvolution.of(ConvolutionalWeights.withoutBatchNormalization(
                new float[] {0.25f, -3}, new float[] {1, 2, 3, 4}));
        assertThat(folded.floatWeights()).containsExactly(1, 2, 3, 4);
        assertThat(folded.floatBiases()).containsExactly(0.25f, -3);
    }
}

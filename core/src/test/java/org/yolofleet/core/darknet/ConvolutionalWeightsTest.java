package org.yolofleet.core.darknet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConvolutionalWeightsTest {
    private static ConvolutionalWeights batchNormalized() {
        return ConvolutionalWeights.withBatchNormalization(new float[] {1, 2}, new float[] {3, 4}, new float[] {5, 6}, new float[] {7, 8},
                new float[] {9, 10, 11, 12});
    }

    @Test
    void copiesArraysInAndOut() {
        float[] biases = {1, 2};
        float[] weights = {9, 10, 11, 12};
        ConvolutionalWeights layer = ConvolutionalWeights.withoutBatchNormalization(biases, weights);
        biases[0] = 100;
        weights[0] = 100;
        layer.biases()[1] = 200;
        layer.weights()[1] = 200;

        assertThat(layer.biases()).containsExactly(1, 2);
        assertThat(layer.weights()).containsExactly(9, 10, 11, 12);
    }

    @Test
    void batchNormalizationValuesAreKeptInOrder() {
        ConvolutionalWeights layer = batchNormalized();

        assertThat(layer.hasBatchNormalization()).isTrue();
        assertThat(layer.filterCount()).isEqualTo(2);
        assertThat(layer.scales()).containsExactly(3, 4);
        assertThat(layer.rollingMean()).containsExactly(5, 6);
        assertThat(layer.rollingVariance()).containsExactly(7, 8);
        assertThat(layer.weightCount()).isEqualTo(4);
        assertThat(layer.valueCount()).isEqualTo(12);
    }

    @Test
    void nullOrEmptyBatchNormalizationMeansNone() {
        ConvolutionalWeights withNulls = new ConvolutionalWeights(new float[] {1}, null, null, null, new float[] {2, 3});
        ConvolutionalWeights withEmpty = new ConvolutionalWeights(new float[] {1}, new float[0], new float[0], new float[0], new float[] {2, 3});

        assertThat(withNulls.hasBatchNormalization()).isFalse();
        assertThat(withNulls.scales()).isEmpty();
        assertThat(withNulls).isEqualTo(withEmpty);
        assertThat(withNulls.valueCount()).isEqualTo(3);
    }

    @Test
    void equalityIsByContent() {
        assertThat(batchNormalized()).isEqualTo(batchNormalized()).hasSameHashCodeAs(batchNormalized());
        assertThat(batchNormalized()).isNotEqualTo(ConvolutionalWeights.withBatchNormalization(new float[] {1, 2}, new float[] {3, 4},
                new float[] {5, 6}, new float[] {7, 8}, new float[] {9, 10, 11, 13}));
        assertThat(batchNormalized()).hasToString("ConvolutionalWeights[filters=2, batchNormalization=true, weights=4]");
    }

    @Test
    void rejectsInconsistentArrays() {
        assertThatThrownBy(() -> ConvolutionalWeights.withoutBatchNormalization(new float[0], new float[] {1}))
                .hasMessageContaining("at least one filter");
        assertThatThrownBy(() -> ConvolutionalWeights.withoutBatchNormalization(new float[] {1, 2}, new float[] {1, 2, 3}))
                .hasMessageContaining("multiple of the 2 filters");
        assertThatThrownBy(() -> new ConvolutionalWeights(new float[] {1, 2}, new float[] {1, 2}, new float[] {1, 2}, null, new float[] {1, 2}))
                .hasMessageContaining("needs 2 scales, means and variances");
        assertThatThrownBy(() -> ConvolutionalWeights.withoutBatchNormalization(null, new float[] {1})).isInstanceOf(NullPointerException.class);
    }
}

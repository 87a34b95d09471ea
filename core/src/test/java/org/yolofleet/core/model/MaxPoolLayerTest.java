package org.yolofleet.core.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaxPoolLayerTest {
    @Test
    void sizeTwoStrideTwoHalvesAnEvenInput() {
        MaxPoolLayer layer = new MaxPoolLayer(2, 2);

        assertThat(layer.outputShape(new TensorShape(16, 416, 416))).isEqualTo(new TensorShape(16, 208, 208));
        assertThat(layer.outputShape(new TensorShape(256, 26, 26))).isEqualTo(new TensorShape(256, 13, 13));
    }

    @Test
    void sizeTwoStrideTwoRoundsAnOddInputUpLikeDarknet() {
        // Darknet: (13 + 1 - 2) / 2 + 1 = 7, where an unpadded pool would give 6
        assertThat(new MaxPoolLayer(2, 2).outputShape(new TensorShape(8, 13, 15))).isEqualTo(new TensorShape(8, 7, 8));
    }

    @Test
    void sizeTwoStrideOneKeepsThirteenByThirteenWithPaddingOnlyRightAndBottom() {
        MaxPoolLayer layer = new MaxPoolLayer(2, 1);

        assertThat(layer.outputShape(new TensorShape(512, 13, 13))).isEqualTo(new TensorShape(512, 13, 13));
        assertThat(layer.padding()).isEqualTo(1);
        assertThat(layer.paddingBefore()).isZero();
        assertThat(layer.paddingAfter()).isEqualTo(1);
    }

    @Test
    void sizeThreePadsOnBothSides() {
        MaxPoolLayer layer = new MaxPoolLayer(3, 1);

        assertThat(layer.paddingBefore()).isEqualTo(1);
        assertThat(layer.paddingAfter()).isEqualTo(1);
        assertThat(layer.outputShape(new TensorShape(2, 10, 10))).isEqualTo(new TensorShape(2, 10, 10));
    }

    @Test
    void rejectsNonPositiveSettings() {
        assertThatThrownBy(() -> new MaxPoolLayer(0, 2)).hasMessageContaining("size");
        assertThatThrownBy(() -> new MaxPoolLayer(2, 0)).hasMessageContaining("stride");
    }
}

package org.yolofleet.core.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConvolutionalLayerTest {
    @Test
    void paddedStrideOneConvolutionKeepsTheSizeAndSetsTheChannels() {
        ConvolutionalLayer layer = new ConvolutionalLayer(16, 3, 1, true, true, Activation.LEAKY);

        assertThat(layer.padding()).isEqualTo(1);
        assertThat(layer.outputShape(new TensorShape(3, 416, 416))).isEqualTo(new TensorShape(16, 416, 416));
    }

    @Test
    void unpaddedConvolutionShrinksTheInput() {
        ConvolutionalLayer layer = new ConvolutionalLayer(8, 3, 1, false, false, Activation.LINEAR);

        assertThat(layer.padding()).isZero();
        assertThat(layer.outputShape(new TensorShape(3, 10, 12))).isEqualTo(new TensorShape(8, 8, 10));
    }

    @Test
    void strideTwoHalvesTheInput() {
        ConvolutionalLayer layer = new ConvolutionalLayer(4, 3, 2, true, false, Activation.RELU);

        assertThat(layer.outputShape(new TensorShape(1, 32, 31))).isEqualTo(new TensorShape(4, 16, 16));
    }

    @Test
    void oneByOneConvolutionWithPadFlagHasNoPadding() {
        ConvolutionalLayer layer = new ConvolutionalLayer(125, 1, 1, true, false, Activation.LINEAR);

        assertThat(layer.padding()).isZero();
        assertThat(layer.outputShape(new TensorShape(1024, 13, 13))).isEqualTo(new TensorShape(125, 13, 13));
    }

    @Test
    void kernelLargerThanItsInputIsRejected() {
        ConvolutionalLayer layer = new ConvolutionalLayer(4, 5, 1, false, false, Activation.LINEAR);

        assertThatThrownBy(() -> layer.outputShape(new TensorShape(3, 4, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size 5");
    }

    @Test
    void withFiltersChangesOnlyTheFilters() {
        ConvolutionalLayer layer = new ConvolutionalLayer(125, 1, 1, true, false, Activation.LINEAR);

        assertThat(layer.withFilters(40)).isEqualTo(new ConvolutionalLayer(40, 1, 1, true, false, Activation.LINEAR));
    }

    @Test
    void rejectsNonPositiveSettings() {
        assertThatThrownBy(() -> new ConvolutionalLayer(0, 3, 1, true, true, Activation.LEAKY)).hasMessageContaining("filters");
        assertThatThrownBy(() -> new ConvolutionalLayer(16, 0, 1, true, true, Activation.LEAKY)).hasMessageContaining("size");
        assertThatThrownBy(() -> new ConvolutionalLayer(16, 3, 0, true, true, Activation.LEAKY)).hasMessageContaining("stride");
        assertThatThrownBy(() -> new ConvolutionalLayer(16, 3, 1, true, true, null)).isInstanceOf(NullPointerException.class);
    }
}

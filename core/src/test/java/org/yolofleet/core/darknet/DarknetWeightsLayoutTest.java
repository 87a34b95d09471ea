package org.yolofleet.core.darknet;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.TinyYoloV2;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DarknetWeightsLayoutTest {
    @Test
    void tinyYoloVocHasNineConvolutionalLayersInCfgOrder() {
        List<ConvolutionalLayout> layers = DarknetWeightsLayout.of(TinyYoloV2.voc()).layers();

        assertThat(layers).extracting(ConvolutionalLayout::layerIndex).containsExactly(0, 2, 4, 6, 8, 10, 12, 13, 14);
        assertThat(layers).extracting(ConvolutionalLayout::inputChannels).containsExactly(3, 16, 32, 64, 128, 256, 512, 1024, 1024);
        assertThat(layers.get(8).weightCount()).isEqualTo(125 * 1024);
        assertThat(layers.get(8).valueCount()).isEqualTo(125 * 1024 + 125);
        assertThat(layers.get(0).valueCount()).isEqualTo(16 * 27 + 4 * 16);
    }

    @Test
    void fileSizeOfTinyYoloVocIsThatOfThePublishedWeights() {
        DarknetWeightsLayout layout = DarknetWeightsLayout.of(TinyYoloV2.voc());

        // yolov2-tiny-voc.weights is 63,471,556 bytes: its header has the old 4-byte seen
        assertThat(layout.fileByteCount(0, 1)).isEqualTo(63_471_556L);
        assertThat(layout.fileByteCount(0, 2)).isEqualTo(63_471_560L);
    }

    @Test
    void firstLayersKeepsThePrefix() {
        DarknetWeightsLayout layout = DarknetWeightsLayout.of(TinyYoloV2.voc());
        DarknetWeightsLayout backbone = layout.firstLayers(8);

        assertThat(backbone.layers()).isEqualTo(layout.layers().subList(0, 8));
        assertThat(backbone.layerByteCount()).isEqualTo(layout.layerByteCount() - 4L * (125 * 1024 + 125));
        assertThatThrownBy(() -> layout.firstLayers(0)).hasMessageContaining("[1, 9]");
        assertThatThrownBy(() -> layout.firstLayers(10)).hasMessageContaining("[1, 9]");
    }

    @Test
    void describesTheLayerForErrorMessages() {
        ConvolutionalLayout head = DarknetWeightsLayout.of(TinyYoloV2.voc()).layers().get(8);

        assertThat(head.describe()).isEqualTo("layer 14 (convolutional 9 of 9: 125 filters 1x1 over 1024 channels, no batch norm)");
    }

    @Test
    void checkRejectsValuesOfAnotherShape() {
        ConvolutionalLayout first = DarknetWeightsLayout.of(WeightsFixtures.smallSpec()).layers().get(0);
        ConvolutionalWeights right = WeightsFixtures.randomLayers(WeightsFixtures.smallSpec(), 3).get(0);
        ConvolutionalWeights noBatchNorm = ConvolutionalWeights.withoutBatchNormalization(right.biases(), right.weights());

        first.check(right);
        assertThatThrownBy(() -> first.check(noBatchNorm))
                .isInstanceOf(YoloFleetException.class)
                .satisfies(e -> assertThat(((YoloFleetException) e).code()).isEqualTo(ErrorCode.BAD_WEIGHTS))
                .hasMessageContaining("layer 0 (convolutional 1 of 3")
                .hasMessageContaining("expects 4 filters, batch norm and 108 weights; got 4 filters, no batch norm and 108 weights");
    }
}

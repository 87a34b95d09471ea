package org.yolofleet.core.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class ModelSummaryTest {
    @Test
    void tinyYoloVocAt416Is697GigaFlopsLikeDarknetPrints() {
        ModelSummary summary = ModelSummary.of(TinyYoloV2.voc());

        // Darknet's per-layer BFLOPs for yolov2-tiny-voc.cfg: 0.150, 0.399 x 5, 1.595, 3.190, 0.043
        assertThat(summary.layers().get(0).flops()).isEqualTo(2L * 16 * 3 * 3 * 3 * 416 * 416);
        assertThat(summary.layers().get(12).flops()).isEqualTo(2L * 1024 * 3 * 3 * 512 * 13 * 13);
        assertThat(summary.layers().get(14).flops()).isEqualTo(2L * 125 * 1024 * 13 * 13);
        assertThat(summary.flops()).isEqualTo(6_971_041_792L);
        assertThat(summary.toTable()).contains("6.97 GFLOP");
    }

    @Test
    void maxpoolAndRegionLayersCostNoFlopsAndHaveNoParameters() {
        ModelSummary summary = ModelSummary.of(TinyYoloV2.voc());

        assertThat(summary.layers().get(1).flops()).isZero();
        assertThat(summary.layers().get(11).parameterCount()).isZero();
        assertThat(summary.layers().get(15).flops()).isZero();
    }

    @Test
    void parametersAreTheValuesOfTheWeightsFile() {
        ModelSummary summary = ModelSummary.of(TinyYoloV2.voc());

        assertThat(summary.layers().get(0).parameterCount()).as("3x3x3x16 weights, 16 each of bias, scale, mean, variance")
                .isEqualTo(432 + 4 * 16);
        assertThat(summary.layers().get(14).parameterCount()).as("1024x125 weights and 125 biases").isEqualTo(128_125);
        // the published yolov2-tiny-voc.weights has 63,471,556 bytes: a 16-byte header and 4 bytes per value
        assertThat(summary.parameterCount()).isEqualTo((63_471_556L - 16) / 4);
    }

    @Test
    void flopsGrowWithTheInputArea() {
        long at416 = ModelSummary.of(TinyYoloV2.voc()).flops();
        long at608 = ModelSummary.of(TinyYoloV2.voc().withInputSize(608, 608)).flops();

        assertThat((double) at608 / at416).isCloseTo((608.0 * 608) / (416.0 * 416), offset(1e-9));
        assertThat(ModelSummary.of(TinyYoloV2.voc().withInputSize(608, 608)).parameterCount())
                .isEqualTo(ModelSummary.of(TinyYoloV2.voc()).parameterCount());
    }

    @Test
    void tableHasOneRowPerLayerWithShapesAndTotals() {
        String table = ModelSummary.of(TinyYoloV2.voc()).toTable();
        String[] lines = table.split("\n");

        assertThat(lines).hasSize(1 + 16 + 1);
        assertThat(lines[1]).contains("convolutional", "16 3x3/1 bn leaky", "3x416x416", "16x416x416", "496", "0.150");
        assertThat(lines[12]).contains("maxpool", "2x2/1", "512x13x13");
        assertThat(lines[15]).contains("convolutional", "125 1x1/1 linear", "128,125", "0.043");
        assertThat(lines[16]).contains("region", "5 anchors 20 classes", "125x13x13");
        assertThat(lines[17]).isEqualTo("total: 16 layers, input 3x416x416, 15,867,885 parameters, 6.97 GFLOP");
    }
}

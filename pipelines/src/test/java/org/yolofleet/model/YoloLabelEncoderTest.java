package org.yolofleet.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class YoloLabelEncoderTest {
    /** 3 classes on a 13 x 13 grid: 7 values per cell. */
    private final YoloLabelEncoder encoder = new YoloLabelEncoder(3, 13, 13);

    @Test
    void boxGoesToTheCellOfItsCentreInGridUnits() {
        // 416 x 416 network pixels: centre (208, 112) is cell column 6, row 3 (32-pixel cells)
        LabelledNetworkBox box = LabelledNetworkBox.ofNetworkPixels(2, 160, 64, 256, 160, 416, 416);

        EncodedLabels encoded = encoder.encode(List.of(List.of(box)));

        INDArray labels = encoded.labels();
        assertThat(labels.shape()).containsExactly(1, 7, 13, 13);
        assertThat(labels.getDouble(0, 0, 3, 6)).isCloseTo(5.0, within(1e-6));
        assertThat(labels.getDouble(0, 1, 3, 6)).isCloseTo(2.0, within(1e-6));
        assertThat(labels.getDouble(0, 2, 3, 6)).isCloseTo(8.0, within(1e-6));
        assertThat(labels.getDouble(0, 3, 3, 6)).isCloseTo(5.0, within(1e-6));
        assertThat(labels.getDouble(0, 4, 3, 6)).isZero();
        assertThat(labels.getDouble(0, 5, 3, 6)).isZero();
        assertThat(labels.getDouble(0, 6, 3, 6)).isEqualTo(1.0);
        assertThat(labels.sumNumber().doubleValue()).isCloseTo(5 + 2 + 8 + 5 + 1, within(1e-5));
        assertThat(encoded.counts()).isEqualTo(new LabelCounts(1, 1, 0, 0));
    }

    @Test
    void twoCentresInOneCellKeepTheLargerBoxAndCountTheCollision() {
        LabelledNetworkBox small = new LabelledNetworkBox(0, BoundingBox.fromCenter(0.5, 0.5, 0.1, 0.1));
        LabelledNetworkBox large = new LabelledNetworkBox(1, BoundingBox.fromCenter(0.51, 0.51, 0.4, 0.3));
        LabelledNetworkBox elsewhere = new LabelledNetworkBox(2, BoundingBox.fromCenter(0.1, 0.9, 0.1, 0.1));

        for (List<LabelledNetworkBox> order : List.of(List.of(small, large, elsewhere), List.of(large, small, elsewhere))) {
            EncodedLabels encoded = encoder.encode(List.of(order));

            assertThat(encoded.counts()).isEqualTo(new LabelCounts(3, 2, 1, 0));
            assertThat(encoded.labels().getDouble(0, 4 + 1, 6, 6)).isEqualTo(1.0);
            assertThat(encoded.labels().getDouble(0, 4, 6, 6)).isZero();
            assertThat(encoded.labels().getDouble(0, 2, 6, 6)).isCloseTo((0.51 + 0.2) * 13, within(1e-5));
        }
    }

    @Test
    void equalBoxesInOneCellKeepTheFirst() {
        LabelledNetworkBox first = new LabelledNetworkBox(0, BoundingBox.fromCenter(0.5, 0.5, 0.2, 0.2));
        LabelledNetworkBox second = new LabelledNetworkBox(1, BoundingBox.fromCenter(0.5, 0.5, 0.2, 0.2));

        EncodedLabels encoded = encoder.encode(List.of(List.of(first, second)));

        assertThat(encoded.labels().getDouble(0, 4, 6, 6)).isEqualTo(1.0);
        assertThat(encoded.counts().collisions()).isEqualTo(1);
    }

    @Test
    void boxesAreClippedToTheImageAndBoxesOutsideAreCounted() {
        LabelledNetworkBox overhanging = new LabelledNetworkBox(0, new BoundingBox(0.8, 0.9, 1.4, 1.2));
        LabelledNetworkBox outside = new LabelledNetworkBox(1, new BoundingBox(1.1, 0.2, 1.3, 0.4));
        LabelledNetworkBox empty = new LabelledNetworkBox(1, new BoundingBox(0.3, 0.3, 0.3, 0.5));

        EncodedLabels encoded = encoder.encode(List.of(List.of(overhanging, outside, empty)));

        // clipped to (0.8, 0.9) - (1, 1): centre (0.9, 0.95) is cell column 11, row 12
        assertThat(encoded.labels().getDouble(0, 2, 12, 11)).isCloseTo(13.0, within(1e-5));
        assertThat(encoded.labels().getDouble(0, 3, 12, 11)).isCloseTo(13.0, within(1e-5));
        assertThat(encoded.counts()).isEqualTo(new LabelCounts(3, 1, 0, 2));
    }

    @Test
    void minibatchHasOneBlockPerImageAndSumsTheCounts() {
        YoloLabelEncoder rectangular = new YoloLabelEncoder(2, 4, 3);
        EncodedLabels encoded = rectangular.encode(List.of(
                List.of(),
                List.of(new LabelledNetworkBox(1, BoundingBox.fromCenter(0.9, 0.1, 0.1, 0.1)))));

        assertThat(encoded.labels().shape()).containsExactly(2, 6, 3, 4);
        assertThat(encoded.labels().slice(0).sumNumber().doubleValue()).isZero();
        assertThat(encoded.labels().getDouble(1, 5, 0, 3)).isEqualTo(1.0);
        assertThat(encoded.counts()).isEqualTo(new LabelCounts(1, 1, 0, 0));
        assertThat(rectangular.valuesPerImage()).isEqualTo(6 * 3 * 4);
    }

    @Test
    void encodeIntoOverwritesItsBlockOnly() {
        float[] destination = new float[3 * encoder.valuesPerImage()];
        java.util.Arrays.fill(destination, 9f);

        encoder.encodeInto(List.of(new LabelledNetworkBox(0, BoundingBox.fromCenter(0.5, 0.5, 0.2, 0.2))), destination, encoder.valuesPerImage());

        assertThat(destination[encoder.valuesPerImage() - 1]).isEqualTo(9f);
        assertThat(destination[2 * encoder.valuesPerImage()]).isEqualTo(9f);
        assertThat(destination[encoder.valuesPerImage()]).isZero();
    }

    @Test
    void unknownClassIsABadAnnotation() {
        assertThatThrownBy(() -> encoder.encode(List.of(List.of(new LabelledNetworkBox(3, BoundingBox.fromCenter(0.5, 0.5, 0.1, 0.1))))))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ANNOTATION))
                .hasMessageContaining("class id 3");
    }
}

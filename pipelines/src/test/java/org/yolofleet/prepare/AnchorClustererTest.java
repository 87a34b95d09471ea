package org.yolofleet.prepare;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AnchorClustererTest {
    @Test
    void iouOfCentredBoxes() {
        assertThat(AnchorClusterer.iou(2, 2, 2, 2)).isEqualTo(1.0);
        // 1x1 inside 2x2: intersection 1, union 4
        assertThat(AnchorClusterer.iou(1, 1, 2, 2)).isEqualTo(0.25);
        // 4x1 and 1x4: intersection 1, union 7
        assertThat(AnchorClusterer.iou(4, 1, 1, 4)).isCloseTo(1.0 / 7, within(1e-12));
    }

    @Test
    void recoversKnownBoxSizesWithNoise() {
        double[][] truth = {{0.8, 1.0}, {2.5, 1.5}, {3.0, 6.0}, {7.0, 4.0}, {10.0, 10.0}};
        Random random = new Random(7);
        List<double[]> boxes = new ArrayList<>();
        for (int index = 0; index < 2_000; index++) {
            double[] centre = truth[index % truth.length];
            boxes.add(new double[] {centre[0] * (1 + 0.05 * random.nextGaussian()), centre[1] * (1 + 0.05 * random.nextGaussian())});
        }
        AnchorClusterer.Result result = AnchorClusterer.cluster(AnchorClusterer.initialise(boxes, 5, 42),
                AnchorClusterer.overList(boxes), 100);

        assertThat(result.anchors()).hasSize(5);
        for (int index = 0; index < truth.length; index++) {
            double[] anchor = result.anchors().get(index); // sorted by area, like truth
            assertThat(AnchorClusterer.iou(anchor[0], anchor[1], truth[index][0], truth[index][1])).isGreaterThan(0.95);
        }
        assertThat(result.meanIou()).isGreaterThan(0.9);
        assertThat(result.boxes()).isEqualTo(2_000);
    }

    @Test
    void sameSeedSameAnchors() {
        Random random = new Random(1);
        List<double[]> boxes = new ArrayList<>();
        for (int index = 0; index < 500; index++) {
            boxes.add(new double[] {0.5 + 12 * random.nextDouble(), 0.5 + 12 * random.nextDouble()});
        }
        AnchorClusterer.Result first = AnchorClusterer.cluster(AnchorClusterer.initialise(boxes, 5, 3), AnchorClusterer.overList(boxes), 50);
        AnchorClusterer.Result second = AnchorClusterer.cluster(AnchorClusterer.initialise(boxes, 5, 3), AnchorClusterer.overList(boxes), 50);
        assertThat(first.anchorsText()).isEqualTo(second.anchorsText());
    }

    @Test
    void clusteredAnchorsFitBetterThanFixedOnes() {
        List<double[]> boxes = new ArrayList<>();
        for (int index = 0; index < 300; index++) {
            boxes.add(new double[] {1 + (index % 3), 5 + (index % 2)});
        }
        AnchorClusterer.Result result = AnchorClusterer.cluster(AnchorClusterer.initialise(boxes, 5, 1), AnchorClusterer.overList(boxes), 100);
        double defaults = AnchorClusterer.meanIou(AnchorComputation.VOC_DEFAULT_ANCHORS, AnchorClusterer.overList(boxes));
        assertThat(result.meanIou()).isGreaterThan(defaults);
    }
}

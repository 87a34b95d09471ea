package org.yolofleet.model;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.BoundingBox;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RegionLossTest {
    private static final double[] ANCHORS = {1.0, 1.5, 3.0, 2.0};
    private static final int CLASSES = 3;
    private static final int GRID = 4;
    private static final int ENTRIES = 5 + CLASSES;
    private static final int CELLS = GRID * GRID;

    /** Labels of two objects: class 2 at grid x 0.5-2.0, y 1.0-2.4 (centre cell row 1, column 1), class 0 at 2.2-3.9, 2.6-3.0. */
    private static float[] labels() {
        float[] labels = new float[(4 + CLASSES) * CELLS];
        new YoloLabelEncoder(CLASSES, GRID, GRID).encodeInto(List.of(
                new LabelledNetworkBox(2, new BoundingBox(0.5 / GRID, 1.0 / GRID, 2.0 / GRID, 2.4 / GRID)),
                new LabelledNetworkBox(0, new BoundingBox(2.2 / GRID, 2.6 / GRID, 3.9 / GRID, 3.0 / GRID))), labels, 0);
        return labels;
    }

    private static float[] randomOutput(long seed) {
        Random random = new Random(seed);
        float[] output = new float[2 * ENTRIES * CELLS];
        for (int index = 0; index < output.length; index++) {
            output[index] = (float) (random.nextGaussian() * 0.8);
        }
        return output;
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheLoss() {
        // rescore off and no ignore threshold: the loss is then a smooth function of every output
        RegionLoss loss = new RegionLoss(ANCHORS, CLASSES, new RegionLoss.Scales(1, 5, 1, 1, 1.0, false, true));
        float[] labels = labels();
        for (long seed = 1; seed <= 3; seed++) {
            float[] output = randomOutput(seed);
            float[] gradient = new float[output.length];
            loss.compute(output, 0, labels, 0, GRID, GRID, gradient, 0);
            int checked = 0;
            for (int index = 0; index < output.length; index++) {
                float saved = output[index];
                double step = 1e-2;
                output[index] = (float) (saved + step);
                double up = loss.compute(output, 0, labels, 0, GRID, GRID, null, 0);
                output[index] = (float) (saved - step);
                double down = loss.compute(output, 0, labels, 0, GRID, GRID, null, 0);
                output[index] = saved;
                double numeric = (up - down) / (2 * step);
                assertThat((double) gradient[index]).as("output %d (seed %d)", index, seed).isCloseTo(numeric, within(2e-3 + 2e-3 * Math.abs(numeric)));
                if (gradient[index] != 0) {
                    checked++;
                }
            }
            // every objectness, plus the responsible predictions' boxes and classes
            assertThat(checked).isGreaterThanOrEqualTo(2 * CELLS + 2 * (4 + CLASSES));
        }
    }

    @Test
    void aPerfectPredictionCostsNothingAndTheResponsibleAnchorIsChosenByShape() {
        RegionLoss loss = new RegionLoss(ANCHORS, CLASSES, new RegionLoss.Scales(1, 5, 1, 1, 0.6, false, true));
        float[] labels = labels();
        float[] output = new float[2 * ENTRIES * CELLS];
        java.util.Arrays.fill(output, -30f);
        // object 1 (1.5 x 1.4 cells, centre 1.25, 1.7): anchor 0 (1 x 1.5) fits it best by shape
        perfect(output, 0, 1 * GRID + 1, 0.25, 0.7, Math.log(1.5 / 1.0), Math.log(1.4 / 1.5), 2);
        // object 2 (1.7 x 0.4 cells, centre 3.05, 2.8): anchor 0 too (shape IoU 0.22 against 0.11 for 3 x 2)
        perfect(output, 0, 2 * GRID + 3, 0.05, 0.8, Math.log(1.7 / 1.0), Math.log(0.4 / 1.5), 0);
        float[] gradient = new float[output.length];
        assertThat(loss.compute(output, 0, labels, 0, GRID, GRID, gradient, 0)).isCloseTo(0, within(1e-4));
        for (float value : gradient) {
            assertThat((double) value).isCloseTo(0, within(1e-4));
        }

        // the same boxes predicted by anchor 1 instead leave anchor 0 responsible: a large loss
        float[] wrongAnchor = new float[output.length];
        java.util.Arrays.fill(wrongAnchor, -30f);
        perfect(wrongAnchor, 1, 1 * GRID + 1, 0.25, 0.7, Math.log(1.5 / 3.0), Math.log(1.4 / 2.0), 2);
        assertThat(loss.compute(wrongAnchor, 0, labels, 0, GRID, GRID, null, 0)).isGreaterThan(10);
    }

    @Test
    void rescoreTargetsTheIouAndOverlappingPredictionsAreNotBackground() {
        float[] labels = labels();
        float[] output = new float[2 * ENTRIES * CELLS];
        java.util.Arrays.fill(output, -30f);
        // anchor 0 of object 1's cell predicts a box twice as wide as the object: IoU 1.5*1.4 / (3*1.4) = 0.5
        perfect(output, 0, 1 * GRID + 1, 0.25, 0.7, Math.log(3.0 / 1.0), Math.log(1.4 / 1.5), 2);
        int objectness = (0 * ENTRIES + 4) * CELLS + 1 * GRID + 1;
        output[objectness] = 0f; // sigmoid 0.5 = the IoU
        float[] gradient = new float[output.length];
        RegionLoss rescore = new RegionLoss(ANCHORS, CLASSES, new RegionLoss.Scales(1, 5, 1, 1, 0.6, true, true));
        rescore.compute(output, 0, labels, 0, GRID, GRID, gradient, 0);
        assertThat((double) gradient[objectness]).isCloseTo(0, within(1e-6));
        RegionLoss towardsOne = new RegionLoss(ANCHORS, CLASSES, new RegionLoss.Scales(1, 5, 1, 1, 0.6, false, true));
        towardsOne.compute(output, 0, labels, 0, GRID, GRID, gradient, 0);
        assertThat((double) gradient[objectness]).isCloseTo(5 * (0.5 - 1), within(1e-6));

        // anchor 1 of the same cell predicting the object exactly is not responsible, but not background either
        perfect(output, 1, 1 * GRID + 1, 0.25, 0.7, Math.log(1.5 / 3.0), Math.log(1.4 / 2.0), 2);
        int other = (1 * ENTRIES + 4) * CELLS + 1 * GRID + 1;
        output[other] = 3f;
        rescore.compute(output, 0, labels, 0, GRID, GRID, gradient, 0);
        assertThat((double) gradient[other]).isZero();
        RegionLoss noIgnore = new RegionLoss(ANCHORS, CLASSES, new RegionLoss.Scales(1, 5, 1, 1, 1.0, true, true));
        noIgnore.compute(output, 0, labels, 0, GRID, GRID, gradient, 0);
        assertThat((double) gradient[other]).isCloseTo(RegionLoss.sigmoid(3), within(1e-6));
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new RegionLoss(new double[] {1, 2, 3}, 2, new RegionLoss.Scales(1, 5, 1, 1, 0.6, true, true)))
                .hasMessageContaining("pairs");
        assertThatThrownBy(() -> new RegionLoss.Scales(1, 5, 1, 1, 1.5, true, true)).hasMessageContaining("thresh");
    }

    /** Writes raw outputs that decode exactly to the given offsets, log sizes, certain objectness and class. */
    private static void perfect(float[] output, int anchor, int cell, double x, double y, double logWidth, double logHeight, int classId) {
        int base = anchor * ENTRIES * CELLS + cell;
        output[base] = (float) Math.log(x / (1 - x));
        output[base + CELLS] = (float) Math.log(y / (1 - y));
        output[base + 2 * CELLS] = (float) logWidth;
        output[base + 3 * CELLS] = (float) logHeight;
        output[base + 4 * CELLS] = 30f;
        for (int candidate = 0; candidate < CLASSES; candidate++) {
            output[base + (5 + candidate) * CELLS] = candidate == classId ? 30f : -30f;
        }
    }
}

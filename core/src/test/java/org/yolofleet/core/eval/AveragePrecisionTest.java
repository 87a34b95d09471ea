package org.yolofleet.core.eval;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AveragePrecisionTest {
    private static final double TOLERANCE = 1e-12;

    /**
     * Three positives; ranked detections TP, FP, TP, FP: recall 1/3, 1/3, 2/3, 2/3 and precision 1, 1/2, 2/3, 1/2.
     */
    private static final double[] RECALL = {1.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3};
    private static final double[] PRECISION = {1, 0.5, 2.0 / 3, 0.5};

    @Test
    void elevenPoint() {
        // t = 0, 0.1, 0.2, 0.3: a recall of 1/3 reaches them, best precision 1       -> 4 x 1
        // t = 0.4, 0.5, 0.6: only recall 2/3 reaches them, best precision 2/3         -> 3 x 2/3
        // t = 0.7 ... 1: never reached                                                 -> 4 x 0
        // (4 + 2) / 11 = 6/11
        assertThat(AveragePrecision.elevenPoint(RECALL, PRECISION)).isCloseTo(6.0 / 11, within(TOLERANCE));
    }

    @Test
    void areaUnderTheMonotoneEnvelope() {
        // with sentinels: recall    0, 1/3, 1/3, 2/3, 2/3, 1
        //                 precision 0, 1,   1/2, 2/3, 1/2, 0
        // envelope from the right:  1, 1,   2/3, 2/3, 1/2, 0
        // recall changes at 1/3 (+1/3 x 1), 2/3 (+1/3 x 2/3), 1 (+1/3 x 0): 1/3 + 2/9 = 5/9
        assertThat(AveragePrecision.area(RECALL, PRECISION)).isCloseTo(5.0 / 9, within(TOLERANCE));
    }

    @Test
    void cocoHundredAndOnePoint() {
        // envelope 1, 2/3, 2/3, 1/2; levels 0 .. 0.33 (34 levels) first reached at rank 0 -> 1,
        // 0.34 .. 0.66 (33 levels) at rank 2 -> 2/3, 0.67 .. 1 never -> 0: (34 + 22) / 101
        assertThat(AveragePrecision.cocoInterpolated(RECALL, PRECISION)).isCloseTo(56.0 / 101, within(TOLERANCE));
    }

    @Test
    void perfectCurveIsOneForEveryMethod() {
        double[] recall = {0.5, 1};
        double[] precision = {1, 1};
        assertThat(AveragePrecision.elevenPoint(recall, precision)).isCloseTo(1, within(TOLERANCE));
        assertThat(AveragePrecision.area(recall, precision)).isEqualTo(1);
        assertThat(AveragePrecision.cocoInterpolated(recall, precision)).isCloseTo(1, within(TOLERANCE));
    }

    @Test
    void emptyCurveIsZero() {
        assertThat(AveragePrecision.elevenPoint(new double[0], new double[0])).isZero();
        assertThat(AveragePrecision.area(new double[0], new double[0])).isZero();
        assertThat(AveragePrecision.cocoInterpolated(new double[0], new double[0])).isZero();
    }

    @Test
    void recallOfExactlyThreeTenthsMissesTheDevkitsPointThreeLevel() {
        // 10 positives, 3 found with precision 1: recall 3/10 is the double 0.3, below the devkit's level
        // 0.30000000000000004, so only t = 0, 0.1, 0.2 are reached -> 3 x 1 / 11 (k / 10.0 levels would give 4/11)
        double[] recall = {1 / 10.0, 2 / 10.0, 3 / 10.0};
        double[] precision = {1, 1, 1};
        assertThat(AveragePrecision.elevenPoint(recall, precision)).isEqualTo(3.0 / 11);
    }

    @Test
    void recallOfExactlySixOrSevenTenthsCountsAtThatLevelAsInTheDevkit() {
        // 10 positives, found at ranks 1, 3, 5, 7, 9, 11: recall 0.1 .. 0.6 with precision 1/1, 2/3,
        // 3/5, 4/7, 5/9, 6/11. The devkit's 0.6 level is the double 0.6, so recall 6/10 reaches it:
        // t = 0, 0.1 -> 1; 0.2 -> 2/3; 0.3 (0.30000000000000004) and 0.4 -> 4/7; 0.5 -> 5/9; 0.6 -> 6/11
        // (voc_eval.py's 0.6000000000000001 would give 0 there).
        double[] recall = {1 / 10.0, 2 / 10.0, 3 / 10.0, 4 / 10.0, 5 / 10.0, 6 / 10.0};
        double[] precision = {1, 2 / 3.0, 3 / 5.0, 4 / 7.0, 5 / 9.0, 6 / 11.0};
        double expected = (1 + 1 + 2 / 3.0 + 4 / 7.0 + 4 / 7.0 + 5 / 9.0 + 6 / 11.0) / 11;
        assertThat(AveragePrecision.elevenPoint(recall, precision)).isCloseTo(expected, within(TOLERANCE));

        // one more found, recall exactly 0.7 with precision 7/13: it also reaches the 0.7 level
        double[] sevenRecall = {1 / 10.0, 2 / 10.0, 3 / 10.0, 4 / 10.0, 5 / 10.0, 6 / 10.0, 7 / 10.0};
        double[] sevenPrecision = {1, 2 / 3.0, 3 / 5.0, 4 / 7.0, 5 / 9.0, 6 / 11.0, 7 / 13.0};
        double sevenExpected = (1 + 1 + 2 / 3.0 + 4 / 7.0 + 4 / 7.0 + 5 / 9.0 + 6 / 11.0 + 7 / 13.0) / 11;
        assertThat(AveragePrecision.elevenPoint(sevenRecall, sevenPrecision)).isCloseTo(sevenExpected, within(TOLERANCE));
    }

    @Test
    void elevenPointLevelsAreTheMatlabColonOperatorsValues() {
        // MATLAB 0:0.1:1 (the colon operator builds each half from its own end): only 0.3 differs from k / 10.0
        double[] devkit = {0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1};
        for (int point = 0; point < devkit.length; point++) {
            assertThat(AveragePrecision.elevenPointRecallLevel(point)).as("level %d", point).isEqualTo(devkit[point]);
        }
    }

    @Test
    void cocoLevelsAreNumpyLinspaceValues() {
        // np.linspace(.0, 1.00, 101).tolist() differs from k / 100.0 at these ten levels, one ulp above
        assertThat(AveragePrecision.cocoRecallLevel(35)).isEqualTo(0.35000000000000003);
        assertThat(AveragePrecision.cocoRecallLevel(41)).isEqualTo(0.41000000000000003);
        assertThat(AveragePrecision.cocoRecallLevel(47)).isEqualTo(0.47000000000000003);
        assertThat(AveragePrecision.cocoRecallLevel(57)).isEqualTo(0.5700000000000001);
        assertThat(AveragePrecision.cocoRecallLevel(69)).isEqualTo(0.6900000000000001);
        assertThat(AveragePrecision.cocoRecallLevel(70)).isEqualTo(0.7000000000000001);
        assertThat(AveragePrecision.cocoRecallLevel(82)).isEqualTo(0.8200000000000001);
        assertThat(AveragePrecision.cocoRecallLevel(83)).isEqualTo(0.8300000000000001);
        assertThat(AveragePrecision.cocoRecallLevel(94)).isEqualTo(0.9400000000000001);
        assertThat(AveragePrecision.cocoRecallLevel(95)).isEqualTo(0.9500000000000001);
        assertThat(AveragePrecision.cocoRecallLevel(30)).isEqualTo(0.3);
        assertThat(AveragePrecision.cocoRecallLevel(100)).isEqualTo(1);
    }

    @Test
    void recallOfExactlySevenTenthsMissesCocosPointSevenLevel() {
        // 10 positives, 7 found with precision 1: levels 0 .. 0.69 (70 of them) are reached; COCO's 0.7 level is
        // 0.7000000000000001, above the recall 7/10 -> 70/101 (k / 100.0 levels would give 71/101)
        double[] recall = new double[7];
        double[] precision = new double[7];
        for (int found = 1; found <= 7; found++) {
            recall[found - 1] = found / 10.0;
            precision[found - 1] = 1;
        }
        assertThat(AveragePrecision.cocoInterpolated(recall, precision)).isCloseTo(70.0 / 101, within(TOLERANCE));
    }

    @Test
    void rejectsMalformedCurves() {
        assertThatThrownBy(() -> AveragePrecision.area(new double[] {0.5}, new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same length");
        assertThatThrownBy(() -> AveragePrecision.elevenPoint(new double[] {0.5, 0.25}, new double[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not decrease");
    }
}

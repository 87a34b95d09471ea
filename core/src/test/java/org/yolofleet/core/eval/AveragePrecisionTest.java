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
    void recallOfExactlyThreeTenthsCountsAtThePointThreeLevel() {
        // 10 positives, 3 found with precision 1: levels 0, 0.1, 0.2, 0.3 -> 4 / 11
        double[] recall = {0.1, 0.2, 3 / 10.0};
        double[] precision = {1, 1, 1};
        assertThat(AveragePrecision.elevenPoint(recall, precision)).isCloseTo(4.0 / 11, within(TOLERANCE));
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

package org.yolofleet.core.eval;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClassMatchesTest {
    private static final MatchOutcome TP = MatchOutcome.TRUE_POSITIVE;
    private static final MatchOutcome FP = MatchOutcome.FALSE_POSITIVE;

    @Test
    void copiesItsArrays() {
        double[] scores = {0.9, 0.5};
        MatchOutcome[] voc = {TP, FP};
        MatchOutcome[][] coco = coco(voc);
        ClassMatches matches = new ClassMatches(0, 1, 0, scores, voc, coco);
        scores[0] = 0.1;
        voc[0] = FP;
        coco[3][0] = FP;
        matches.cocoOutcomes()[4][0] = FP;

        assertThat(matches.scores()).containsExactly(0.9, 0.5);
        assertThat(matches.vocOutcomes()).containsExactly(TP, FP);
        assertThat(matches.cocoOutcomes()[3]).containsExactly(TP, FP);
        assertThat(matches.cocoOutcomes()[4]).containsExactly(TP, FP);
        assertThat(matches).isEqualTo(new ClassMatches(0, 1, 0, new double[] {0.9, 0.5}, new MatchOutcome[] {TP, FP}, coco(new MatchOutcome[] {TP, FP})));
    }

    @Test
    void rejectsInconsistentMatches() {
        MatchOutcome[] two = {TP, FP};
        assertThatThrownBy(() -> new ClassMatches(0, 1, 0, new double[] {0.5, 0.9}, two, coco(two)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not increase");
        assertThatThrownBy(() -> new ClassMatches(0, 1, 0, new double[] {0.9}, two, coco(two)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one VOC outcome per score");
        assertThatThrownBy(() -> new ClassMatches(0, 1, 0, new double[] {0.9, 0.5}, two, new MatchOutcome[3][2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10 thresholds");
        assertThatThrownBy(() -> new ClassMatches(-1, 1, 0, new double[0], new MatchOutcome[0], coco(new MatchOutcome[0])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static MatchOutcome[][] coco(MatchOutcome[] outcomes) {
        MatchOutcome[][] coco = new MatchOutcome[ClassMatches.COCO_THRESHOLDS][];
        for (int threshold = 0; threshold < coco.length; threshold++) {
            coco[threshold] = outcomes.clone();
        }
        return coco;
    }
}

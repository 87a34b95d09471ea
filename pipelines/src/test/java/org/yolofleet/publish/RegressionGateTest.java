package org.yolofleet.publish;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.eval.EvaluationSettings;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.core.eval.VocEvaluator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RegressionGateTest {
    private static final List<String> CLASSES = List.of("red", "green");

    /** Four objects of each class in four images; the model finds {@code found[class]} of them (exactly placed). */
    private static Evaluation scoring(int redFound, int greenFound) {
        List<GroundTruth> truths = new ArrayList<>();
        List<Prediction> predictions = new ArrayList<>();
        for (int image = 0; image < 4; image++) {
            for (int classId = 0; classId < 2; classId++) {
                BoundingBox box = new BoundingBox(10 + 20 * classId, 10, 20 + 20 * classId, 30);
                truths.add(new GroundTruth("image-" + image, classId, box, false));
                if (image < (classId == 0 ? redFound : greenFound)) {
                    predictions.add(new Prediction("image-" + image, new Detection(classId, 0.9 - 0.1 * image, box)));
                }
            }
        }
        return new VocEvaluator(2, EvaluationSettings.VOC.withPlusOnePixel(false)).evaluate(truths, predictions);
    }

    @Test
    void aModelWithinTheAllowedDropPassesAndOneBeyondItIsRefusedWithBothModelsPerClass() {
        Evaluation current = scoring(4, 4);
        RegressionGate gate = new RegressionGate(0.01);
        RegressionGate.Current release = new RegressionGate.Current("20261201T020000Z", CLASSES, current);

        RegressionGate.Decision same = gate.decide(scoring(4, 4), CLASSES, Optional.of(release));
        assertThat(same.passed()).isTrue();
        assertThat(same.currentMap().getAsDouble()).isCloseTo(1.0, within(1e-12));
        same.requirePassed(false);

        // green finds 3 of 4: AP 0.75, mAP 0.875, a drop of 0.125
        RegressionGate.Decision worse = gate.decide(scoring(4, 3), CLASSES, Optional.of(release));
        assertThat(worse.passed()).isFalse();
        assertThat(worse.reason()).startsWith("refused: val mAP@0.5 0.8750 against 1.0000 of release 20261201T020000Z");
        assertThat(worse.report()).contains("green").contains("0.7500").contains("-0.2500");
        assertThatThrownBy(() -> worse.requirePassed(false))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.MAP_REGRESSION))
                .hasMessageContaining("publish --force")
                .hasMessageContaining("red");
        worse.requirePassed(true);

        assertThat(new RegressionGate(0.2).decide(scoring(4, 3), CLASSES, Optional.of(release)).passed()).isTrue();
    }

    @Test
    void theFirstReleaseAndAReleaseOfOtherClassesPassSayingWhy() {
        RegressionGate gate = new RegressionGate(0.01);
        RegressionGate.Decision first = gate.decide(scoring(1, 1), CLASSES, Optional.empty());
        assertThat(first.passed()).isTrue();
        assertThat(first.reason()).contains("no release yet");
        RegressionGate.Decision other = gate.decide(scoring(1, 1), CLASSES,
                Optional.of(new RegressionGate.Current("v1", List.of("cat", "dog"), scoring(4, 4))));
        assertThat(other.passed()).isTrue();
        assertThat(other.reason()).contains("other classes");
    }

    @Test
    void theAllowedDropIsAFractionOfOneMapUnit() {
        assertThatThrownBy(() -> new RegressionGate(-0.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegressionGate(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}

package org.yolofleet.ml.eval;

import org.yolofleet.core.eval.ClassEvaluation;
import org.yolofleet.core.eval.Evaluation;

import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Two evaluations of the same detections, by different paths: the same tallies, APs and means to 1e-9. */
public final class EvaluationAssertions {
    public static final double TOLERANCE = 1e-9;

    private EvaluationAssertions() {
    }

    public static void assertSameEvaluation(Evaluation actual, Evaluation expected) {
        assertThat(actual.settings()).isEqualTo(expected.settings());
        assertThat(actual.classes()).hasSize(expected.classes().size());
        for (int classId = 0; classId < expected.classes().size(); classId++) {
            ClassEvaluation actualClass = actual.classes().get(classId);
            ClassEvaluation expectedClass = expected.classes().get(classId);
            assertThat(actualClass.positives()).as("class %d positives", classId).isEqualTo(expectedClass.positives());
            assertThat(actualClass.truePositives()).as("class %d true positives", classId).isEqualTo(expectedClass.truePositives());
            assertThat(actualClass.falsePositives()).as("class %d false positives", classId).isEqualTo(expectedClass.falsePositives());
            assertClose(actualClass.areaAveragePrecision(), expectedClass.areaAveragePrecision());
            assertClose(actualClass.elevenPointAveragePrecision(), expectedClass.elevenPointAveragePrecision());
            assertClose(actualClass.cocoAveragePrecision(), expectedClass.cocoAveragePrecision());
        }
        assertClose(actual.areaMeanAveragePrecision(), expected.areaMeanAveragePrecision());
        assertClose(actual.elevenPointMeanAveragePrecision(), expected.elevenPointMeanAveragePrecision());
        assertClose(actual.cocoMeanAveragePrecision(), expected.cocoMeanAveragePrecision());
    }

    private static void assertClose(OptionalDouble actual, OptionalDouble expected) {
        assertThat(actual.isPresent()).isEqualTo(expected.isPresent());
        if (expected.isPresent()) {
            assertThat(actual.getAsDouble()).isCloseTo(expected.getAsDouble(), within(TOLERANCE));
        }
    }
}

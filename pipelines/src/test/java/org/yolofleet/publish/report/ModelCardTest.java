package org.yolofleet.publish.report;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.eval.ClassEvaluation;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.publish.RegressionGate;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelCardTest {
    private static final RegressionGate GATE = new RegressionGate(0.01);

    @Test
    void theGateKeepsTheCurrentReleasesApPerClassWhenItComparedThem() {
        Evaluation evaluation = ReportFixtures.evaluation();
        Optional<RegressionGate.Current> current = Optional.of(new RegressionGate.Current("night-1", ReportFixtures.CLASSES, evaluation));

        ModelCard.Gate gate = ModelCard.Gate.of(GATE.decide(evaluation, ReportFixtures.CLASSES, current), current, ReportFixtures.CLASSES);

        assertThat(gate.passed()).isTrue();
        assertThat(gate.currentVersion()).contains("night-1");
        assertThat(gate.currentAveragePrecision()).containsExactlyElementsOf(evaluation.classes().stream().map(ClassEvaluation::areaAveragePrecision).toList());
        assertThat(gate.currentAveragePrecision().get(2)).isEmpty();
    }

    @Test
    void withoutACurrentReleaseOrWithOtherClassesThereIsNoComparison() {
        Evaluation evaluation = ReportFixtures.evaluation();
        ModelCard.Gate first = ModelCard.Gate.of(GATE.decide(evaluation, ReportFixtures.CLASSES, Optional.empty()), Optional.empty(),
                ReportFixtures.CLASSES);
        assertThat(first.currentAveragePrecision()).isEmpty();
        assertThat(first.reason()).contains("no release yet");

        Optional<RegressionGate.Current> other = Optional.of(new RegressionGate.Current("v0", List.of("a", "b", "c"), evaluation));
        ModelCard.Gate unrelated = ModelCard.Gate.of(GATE.decide(evaluation, ReportFixtures.CLASSES, other), other, ReportFixtures.CLASSES);
        assertThat(unrelated.currentAveragePrecision()).isEmpty();
        assertThat(unrelated.currentVersion()).contains("v0");
    }

    @Test
    void refusesAnEvaluationOrAComparisonOfAnotherClassCount() {
        ModelCard.Gate gate = new ModelCard.Gate(true, "passed", Optional.empty(), List.of());
        Evaluation twoClasses = new Evaluation(ReportFixtures.evaluation().settings(), ReportFixtures.evaluation().classes().subList(0, 2));
        assertThatThrownBy(() -> new ModelCard(ReportFixtures.manifest(false), gate, twoClasses, List.of(), List.of(), List.of()))
                .hasMessageContaining("the evaluation has 2 classes, the release 3");
        ModelCard.Gate shortGate = new ModelCard.Gate(true, "passed", Optional.of("v0"), List.of(OptionalDouble.of(0.5)));
        assertThatThrownBy(() -> new ModelCard(ReportFixtures.manifest(false), shortGate, ReportFixtures.evaluation(), List.of(), List.of(), List.of()))
                .hasMessageContaining("given for 1 classes");
    }
}

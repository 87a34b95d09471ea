package org.yolofleet.core.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetOptionsTest {
    private static NetOptions withSteps(LearningRatePolicy policy, List<Integer> steps, List<Double> scales) {
        return new NetOptions(64, 2, 0.9, 0.0005, 0, 1.5, 1.5, 0.1, 0.001, 1000, 40200, policy, steps, scales);
    }

    @Test
    void stepsPolicyNeedsOneScalePerStep() {
        assertThat(withSteps(LearningRatePolicy.STEPS, List.of(-1, 100), List.of(0.1, 10.0)).steps()).containsExactly(-1, 100);
        assertThatThrownBy(() -> withSteps(LearningRatePolicy.STEPS, List.of(100, 200), List.of(0.1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy steps");
        assertThatThrownBy(() -> withSteps(LearningRatePolicy.STEPS, List.of(), List.of())).hasMessageContaining("at least one");
    }

    @Test
    void constantPolicyTakesNoSteps() {
        assertThat(withSteps(LearningRatePolicy.CONSTANT, List.of(), List.of()).policy()).isEqualTo(LearningRatePolicy.CONSTANT);
        assertThatThrownBy(() -> withSteps(LearningRatePolicy.CONSTANT, List.of(100), List.of(0.1))).hasMessageContaining("policy constant");
    }

    @Test
    void copiesTheLists() {
        List<Integer> steps = new ArrayList<>(List.of(100));
        NetOptions options = withSteps(LearningRatePolicy.STEPS, steps, List.of(0.1));
        steps.add(200);

        assertThat(options.steps()).containsExactly(100);
    }

    @Test
    void darknetDefaultsAreThoseOfItsParser() {
        NetOptions defaults = NetOptions.DARKNET_DEFAULTS;

        assertThat(defaults.batch()).isEqualTo(1);
        assertThat(defaults.momentum()).isEqualTo(0.9);
        assertThat(defaults.decay()).isEqualTo(0.0001);
        assertThat(defaults.learningRate()).isEqualTo(0.001);
        assertThat(defaults.saturation()).isEqualTo(1);
        assertThat(defaults.policy()).isEqualTo(LearningRatePolicy.CONSTANT);
    }

    @Test
    void rejectsOutOfRangeValues() {
        assertThatThrownBy(() -> new NetOptions(0, 1, 0.9, 0.0005, 0, 1.5, 1.5, 0.1, 0.001, 0, 0, LearningRatePolicy.CONSTANT, List.of(), List.of()))
                .hasMessageContaining("batch");
        assertThatThrownBy(() -> new NetOptions(8, 16, 0.9, 0.0005, 0, 1.5, 1.5, 0.1, 0.001, 0, 0, LearningRatePolicy.CONSTANT, List.of(), List.of()))
                .hasMessageContaining("subdivisions");
        assertThatThrownBy(() -> new NetOptions(8, 1, 1.0, 0.0005, 0, 1.5, 1.5, 0.1, 0.001, 0, 0, LearningRatePolicy.CONSTANT, List.of(), List.of()))
                .hasMessageContaining("momentum");
        assertThatThrownBy(() -> new NetOptions(8, 1, 0.9, 0.0005, 0, 0.5, 1.5, 0.1, 0.001, 0, 0, LearningRatePolicy.CONSTANT, List.of(), List.of()))
                .hasMessageContaining("saturation");
        assertThatThrownBy(() -> new NetOptions(8, 1, 0.9, 0.0005, 0, 1.5, 1.5, 1.1, 0.001, 0, 0, LearningRatePolicy.CONSTANT, List.of(), List.of()))
                .hasMessageContaining("hue");
        assertThatThrownBy(() -> new NetOptions(8, 1, 0.9, 0.0005, 0, 1.5, 1.5, 0.1, 0, 0, 0, LearningRatePolicy.CONSTANT, List.of(), List.of()))
                .hasMessageContaining("learning_rate");
    }
}

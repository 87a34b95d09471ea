package org.yolofleet.train;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LearningRateScheduleTest {
    @Test
    void burnInRisesWithThePowerThenStepsScale() {
        LearningRateSchedule schedule = new LearningRateSchedule(0.001, 100, 4, List.of(400L, 450L), List.of(0.1, 0.1),
                LearningRateSchedule.Policy.STEPS, 1, 0);

        assertThat(schedule.rateAt(0, 1000)).isCloseTo(0.001 * Math.pow(0.01, 4), within(1e-15));
        assertThat(schedule.rateAt(49, 1000)).isCloseTo(0.001 * Math.pow(0.5, 4), within(1e-12));
        assertThat(schedule.rateAt(100, 1000)).isEqualTo(0.001);
        assertThat(schedule.rateAt(399, 1000)).isEqualTo(0.001);
        assertThat(schedule.rateAt(400, 1000)).isCloseTo(0.0001, within(1e-12));
        assertThat(schedule.rateAt(450, 1000)).isCloseTo(0.00001, within(1e-12));
    }

    @Test
    void cosineFallsFromTheBaseRateAfterBurnInToTheFinalScaleAtTheLastIteration() {
        LearningRateSchedule schedule = new LearningRateSchedule(0.002, 10, 4, List.of(), List.of(), LearningRateSchedule.Policy.COSINE, 0.05, 0);
        assertThat(schedule.rateAt(9, 111)).isCloseTo(0.002, within(1e-12));
        assertThat(schedule.rateAt(10, 111)).isCloseTo(0.002, within(1e-12));
        // halfway between the end of burn-in (10) and the last iteration (110): the mean of base and final
        assertThat(schedule.rateAt(60, 111)).isCloseTo(0.002 * (0.05 + 0.95 * 0.5), within(1e-12));
        assertThat(schedule.rateAt(110, 111)).isCloseTo(0.002 * 0.05, within(1e-12));
        assertThat(schedule.rateAt(500, 111)).isCloseTo(0.002 * 0.05, within(1e-12));
        for (long iteration = 11; iteration < 111; iteration++) {
            assertThat(schedule.rateAt(iteration, 111)).isLessThan(schedule.rateAt(iteration - 1, 111));
        }
    }

    @Test
    void aLateCosineHoldsTheBaseRateUntilItsStartThenFallsToTheFinalScale() {
        // burn-in 10, last iteration 110: the cosine starts at 10 + 0.6 x 100 = 70
        LearningRateSchedule schedule = new LearningRateSchedule(0.002, 10, 4, List.of(), List.of(), LearningRateSchedule.Policy.COSINE, 0.05, 0.6);
        for (long iteration = 10; iteration <= 70; iteration++) {
            assertThat(schedule.rateAt(iteration, 111)).as("iteration %d", iteration).isEqualTo(0.002);
        }
        assertThat(schedule.rateAt(90, 111)).isCloseTo(0.002 * (0.05 + 0.95 * 0.5), within(1e-12));
        assertThat(schedule.rateAt(110, 111)).isCloseTo(0.002 * 0.05, within(1e-12));
        for (long iteration = 71; iteration < 111; iteration++) {
            assertThat(schedule.rateAt(iteration, 111)).isLessThan(schedule.rateAt(iteration - 1, 111));
        }
    }

    @Test
    void constantHasNoBurnIn() {
        assertThat(LearningRateSchedule.constant(0.01).rateAt(0, 1000)).isEqualTo(0.01);
    }
}

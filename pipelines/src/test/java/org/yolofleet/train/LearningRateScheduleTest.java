package org.yolofleet.train;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LearningRateScheduleTest {
    @Test
    void burnInRisesWithThePowerThenStepsScale() {
        LearningRateSchedule schedule = new LearningRateSchedule(0.001, 100, 4, List.of(400L, 450L), List.of(0.1, 0.1));

        assertThat(schedule.rateAt(0)).isCloseTo(0.001 * Math.pow(0.01, 4), within(1e-15));
        assertThat(schedule.rateAt(49)).isCloseTo(0.001 * Math.pow(0.5, 4), within(1e-12));
        assertThat(schedule.rateAt(100)).isEqualTo(0.001);
        assertThat(schedule.rateAt(399)).isEqualTo(0.001);
        assertThat(schedule.rateAt(400)).isCloseTo(0.0001, within(1e-12));
        assertThat(schedule.rateAt(450)).isCloseTo(0.00001, within(1e-12));
    }

    @Test
    void constantHasNoBurnIn() {
        assertThat(LearningRateSchedule.constant(0.01).rateAt(0)).isEqualTo(0.01);
    }
}

package org.yolofleet.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PollScheduleTest {
    @Test
    void everyAgentPollsWithinOnePeriodOfTheChangeAndTheWaitsAreSorted() {
        double[] waits = PollSchedule.waitsAfterChange(2000, Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofHours(1), 7);

        assertThat(waits).hasSize(2000);
        assertThat(waits).isSorted();
        assertThat(waits[0]).isGreaterThanOrEqualTo(0.0);
        assertThat(waits[waits.length - 1]).isLessThanOrEqualTo(360.0);
        // phases are random: the waits spread over the period rather than bunching
        assertThat(PollSchedule.quantile(waits, 0.1)).isLessThan(60);
        assertThat(PollSchedule.quantile(waits, 0.9)).isGreaterThan(240);
    }

    @Test
    void withoutJitterNoWaitReachesTheInterval() {
        double[] waits = PollSchedule.waitsAfterChange(500, Duration.ofMinutes(5), Duration.ZERO, Duration.ofHours(1), 3);

        assertThat(waits[waits.length - 1]).isLessThan(300);
    }

    @Test
    void quantileIsTheNearestRank() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

        assertThat(PollSchedule.quantile(sorted, 0.5)).isEqualTo(5);
        assertThat(PollSchedule.quantile(sorted, 0.95)).isEqualTo(10);
        assertThat(PollSchedule.quantile(sorted, 0.0)).isEqualTo(1);
    }
}

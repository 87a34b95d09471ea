package org.yolofleet.train;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rounds' arithmetic; {@link TrainStageTest} trains through them on local Spark. */
class TrainingRoundsTest {
    @Test
    void aRunCountsTheStepsOfOneWorkerRoundByRound() {
        // the demo: 185 minibatches an epoch, one worker averaging every 16: 11 rounds of 16 and one of 9 = 185 an epoch
        assertThat(TrainingRounds.runIterations(4, 185, 1, 16)).isEqualTo(4 * 185);
        // 20 minibatches, 2 workers x 4: rounds of 8, 8 and 4 minibatches are 4, 4 and 2 steps of each worker
        assertThat(TrainingRounds.runIterations(2, 20, 2, 4)).isEqualTo(2 * 10);
    }

    @Test
    void aLastRoundThatDoesNotFillEveryWorkerStillCountsAWholeStep() {
        // 21 minibatches, 2 workers x 5: rounds of 10, 10 and 1; the last is one step (one worker idles)
        assertThat(TrainingRounds.runIterations(1, 21, 2, 5)).isEqualTo(5 + 5 + 1);
        // 3 minibatches over 4 workers: one round of one step
        assertThat(TrainingRounds.runIterations(3, 3, 4, 2)).isEqualTo(3);
    }
}

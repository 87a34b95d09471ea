package org.yolofleet.spark;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DistinctAccumulatorTest {
    @Test
    void keepsEachValueOnceSortedAcrossMergesAndCopies() {
        DistinctAccumulator first = new DistinctAccumulator();
        first.add("executor 1");
        first.add("executor 0");
        first.add("executor 1");
        DistinctAccumulator second = new DistinctAccumulator();
        second.add("executor 0");
        second.add("executor 2");

        DistinctAccumulator copy = first.copy();
        first.merge(second);

        assertThat(first.value()).containsExactly("executor 0", "executor 1", "executor 2");
        assertThat(copy.value()).containsExactly("executor 0", "executor 1");
        assertThat(copy.isZero()).isFalse();
        copy.reset();
        assertThat(copy.isZero()).isTrue();
        assertThat(first.value()).hasSize(3);
    }
}

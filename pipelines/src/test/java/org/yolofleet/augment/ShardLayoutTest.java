package org.yolofleet.augment;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.stage.Split;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardLayoutTest {
    @Test
    void samplesFillTheShardsOfTheirSplitInOrder() {
        ShardLayout layout = new ShardLayout(30, 3, 7);

        assertThat(layout.shards(Split.TRAIN)).isEqualTo(5);
        assertThat(layout.shards(Split.VAL)).isEqualTo(1);
        assertThat(layout.partitionOf(0)).isZero();
        assertThat(layout.partitionOf(6)).isZero();
        assertThat(layout.partitionOf(7)).isEqualTo(1);
        assertThat(layout.partitionOf(29)).isEqualTo(4);
        assertThat(layout.partitionOf(30)).isEqualTo(5);
        assertThat(layout.indexInSplit(31)).isEqualTo(1);
        assertThat(layout.shardOfPartition(4)).isEqualTo(new ShardLayout.Shard(Split.TRAIN, 4));
        assertThat(layout.shardOfPartition(5)).isEqualTo(new ShardLayout.Shard(Split.VAL, 0));
        assertThat(layout.samplesIn(new ShardLayout.Shard(Split.TRAIN, 4))).isEqualTo(2);
        assertThat(layout.samplesIn(new ShardLayout.Shard(Split.VAL, 0))).isEqualTo(3);
        assertThat(new ShardLayout.Shard(Split.VAL, 12).path()).isEqualTo("shards/val/shard-00012.tar");
        assertThatThrownBy(() -> layout.partitionOf(33)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysAreUniqueSortableAndFreeOfDots() {
        assertThat(ShardLayout.key(42, "site-a/2008_000123.v2", 3)).isEqualTo("00000042_site-a_2008_000123_v2_c3");
        assertThat(ShardLayout.key(1, "s/" + "x".repeat(200), 0).length()).isLessThan(TarShardWriter.MAXIMUM_NAME_BYTES - 5);
    }

    @Test
    void thePlanDoesNotDependOnTheOrderImagesArriveIn() {
        List<ShardPlan.Image> images = new ArrayList<>();
        for (int index = 0; index < 20; index++) {
            images.add(new ShardPlan.Image("site/image_" + index, index % 4 == 0 ? Split.VAL : Split.TRAIN));
        }
        ShardPlan plan = ShardPlan.of(images, AugmentRecipeTest.RECIPE, 7);
        Collections.shuffle(images, new Random(1));
        ShardPlan shuffled = ShardPlan.of(images, AugmentRecipeTest.RECIPE, 7);

        assertThat(shuffled).isEqualTo(plan);
        assertThat(plan.layout()).isEqualTo(new ShardLayout(15 * 4, 5, 7));
        assertThat(plan.ordinal("site/image_1", 0)).isZero();
        assertThat(plan.ordinal("site/image_10", 2)).isEqualTo(6);
        assertThat(plan.ordinal("site/image_0", 0)).isEqualTo(60);
    }

    @Test
    void aDuplicateIdIsAnError() {
        List<ShardPlan.Image> images = List.of(new ShardPlan.Image("site/a", Split.TRAIN), new ShardPlan.Image("site/a", Split.VAL));

        assertThatThrownBy(() -> ShardPlan.of(images, AugmentRecipeTest.RECIPE, 7)).isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("site/a");
    }
}

package org.yolofleet.prepare;

import org.junit.jupiter.api.Test;
import org.yolofleet.stage.Split;

import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SplitAssignerTest {
    @Test
    void splitDependsOnlyOnContentAndSalt() {
        SplitAssigner assigner = new SplitAssigner(0.2, "salt-a");
        assertThat(assigner.byHash("abc")).isEqualTo(new SplitAssigner(0.2, "salt-a").byHash("abc"));
        long differing = IntStream.range(0, 1_000)
                .filter(index -> assigner.byHash("h" + index) != new SplitAssigner(0.2, "salt-b").byHash("h" + index))
                .count();
        assertThat(differing).as("another salt draws another split").isGreaterThan(100);
    }

    @Test
    void valShareFollowsTheFraction() {
        SplitAssigner assigner = new SplitAssigner(0.1, "yolofleet-v1");
        long val = IntStream.range(0, 20_000).filter(index -> assigner.byHash(Integer.toHexString(index * 7919)) == Split.VAL).count();
        assertThat(val / 20_000.0).isCloseTo(0.1, within(0.01));
    }

    @Test
    void zeroFractionPutsEverythingInTrain() {
        SplitAssigner assigner = new SplitAssigner(0, "s");
        assertThat(IntStream.range(0, 1_000).allMatch(index -> assigner.byHash("x" + index) == Split.TRAIN)).isTrue();
    }

    @Test
    void imageSetsWinOverTheHash() {
        SplitAssigner assigner = new SplitAssigner(0.5, "s");
        Map<String, Split> lists = Map.of("a", Split.VAL, "b", Split.TRAIN);
        assertThat(assigner.byImageSets(lists, "a", "hash-a")).isEqualTo(Split.VAL);
        assertThat(assigner.byImageSets(lists, "b", "hash-b")).isEqualTo(Split.TRAIN);
        assertThat(assigner.byImageSets(lists, "c", "hash-c")).isEqualTo(assigner.byHash("hash-c"));
    }
}

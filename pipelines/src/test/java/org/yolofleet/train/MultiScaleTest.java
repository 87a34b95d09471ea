package org.yolofleet.train;

import org.junit.jupiter.api.Test;
import org.yolofleet.config.ModelInput;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ResizeMode;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultiScaleTest {
    private static final ModelInput NETWORK = new ModelInput(416, 416, ResizeMode.LETTERBOX);

    @Test
    void offByDefaultTrainsAtTheNetworkSize() {
        TrainConfig config = TrainConfig.from(TrainFixtures.config("file:/in", "file:/out", Map.of()));
        assertThat(config.multiScale().enabled()).isFalse();
        assertThat(MultiScale.OFF.inputFor(NETWORK, 42, 1, 10, 0)).isEqualTo(NETWORK);
    }

    @Test
    void roundsDrawEverySizeReproduciblyAndTheLastEpochsTrainAtTheNetworkSize() {
        MultiScale multiScale = new MultiScale(List.of(224, 288, 352), 2);
        Set<Integer> drawn = new HashSet<>();
        for (int round = 0; round < 60; round++) {
            ModelInput input = multiScale.inputFor(NETWORK, 42, 3, 10, round);
            assertThat(input).isEqualTo(multiScale.inputFor(NETWORK, 42, 3, 10, round));
            assertThat(input.width()).isEqualTo(input.height());
            assertThat(input.resizeMode()).isEqualTo(ResizeMode.LETTERBOX);
            drawn.add(input.width());
        }
        assertThat(drawn).containsExactlyInAnyOrder(224, 288, 352);
        // epochs 9 and 10 of 10 are the full-size ones
        assertThat(multiScale.inputFor(NETWORK, 42, 8, 10, 0).width()).isIn(224, 288, 352);
        assertThat(multiScale.inputFor(NETWORK, 42, 9, 10, 0)).isEqualTo(NETWORK);
        assertThat(multiScale.inputFor(NETWORK, 42, 10, 10, 5)).isEqualTo(NETWORK);
    }

    @Test
    void anOblongNetworkKeepsItsAspectRatioOnTheGrid() {
        ModelInput wide = new ModelInput(640, 384, ResizeMode.RESIZE);
        ModelInput drawn = new MultiScale(List.of(320), 0).inputFor(wide, 1, 1, 5, 0);
        assertThat(drawn.width()).isEqualTo(320);
        assertThat(drawn.height()).isEqualTo(192);
    }

    @Test
    void sizesThatAreNotMultiplesOf32AreRefusedNamingTheKey() {
        assertThatThrownBy(() -> TrainConfig.from(TrainFixtures.config("file:/in", "file:/out",
                Map.of("multi-scale.sizes", List.of(320, 300)))))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("yolofleet.train.multi-scale.sizes")
                .hasMessageContaining("sizes: 300 is not allowed")
                .hasMessageContaining("multiples of 32");
        TrainConfig config = TrainConfig.from(TrainFixtures.config("file:/in", "file:/out",
                Map.of("multi-scale.sizes", List.of(224, 256), "multi-scale.full-size-epochs", 3)));
        assertThat(config.multiScale()).isEqualTo(new MultiScale(List.of(224, 256), 3));
    }
}

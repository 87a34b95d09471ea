package org.yolofleet.core.darknet;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DarknetWeightsTest {
    @Test
    void seenTakesEightBytesFromVersionZeroPointTwoOnLikeDarknetReadsIt() {
        assertThat(DarknetWeights.hasLongSeen(0, 2)).isTrue();
        assertThat(DarknetWeights.hasLongSeen(1, 0)).isTrue();
        assertThat(DarknetWeights.hasLongSeen(999, 999)).isTrue();
        assertThat(DarknetWeights.hasLongSeen(0, 1)).isFalse();
        assertThat(DarknetWeights.hasLongSeen(0, 0)).isFalse();
        assertThat(DarknetWeights.hasLongSeen(1000, 2)).as("transposed files").isFalse();
        assertThat(DarknetWeights.hasLongSeen(0, 1000)).isFalse();
        assertThat(DarknetWeights.hasLongSeen(Integer.MAX_VALUE, 0)).as("no int overflow").isFalse();
    }

    @Test
    void headerIsTwentyBytesWithALongSeenAndSixteenOtherwise() {
        assertThat(DarknetWeights.of(0, List.of()).headerByteCount()).isEqualTo(20);
        assertThat(new DarknetWeights(0, 1, 0, 0, List.of()).headerByteCount()).isEqualTo(16);
    }

    @Test
    void ofWritesTheCurrentDarknetVersion() {
        DarknetWeights weights = DarknetWeights.of(32_013_312, List.of());

        assertThat(List.of(weights.major(), weights.minor(), weights.revision())).containsExactly(0, 2, 0);
        assertThat(weights.hasLongSeen()).isTrue();
        assertThat(weights.seen()).isEqualTo(32_013_312);
    }

    @Test
    void copiesTheLayerList() {
        List<ConvolutionalWeights> layers = new ArrayList<>(WeightsFixtures.randomLayers(WeightsFixtures.smallSpec(), 1));
        DarknetWeights weights = DarknetWeights.of(0, layers);
        layers.clear();

        assertThat(weights.layers()).hasSize(3);
        assertThat(weights.withLayers(List.of()).layers()).isEmpty();
        assertThatThrownBy(() -> weights.layers().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsValuesTheHeaderCannotHold() {
        assertThatThrownBy(() -> new DarknetWeights(0, 1, 0, 1L << 31, List.of())).hasMessageContaining("stores seen in 4 bytes");
        assertThatThrownBy(() -> DarknetWeights.of(-1, List.of())).hasMessageContaining("seen must not be negative");
        assertThatThrownBy(() -> new DarknetWeights(-1, 2, 0, 0, List.of())).hasMessageContaining("version");
    }
}

package org.yolofleet.core.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionLayerTest {
    private static RegionLayer region(List<Anchor> anchors, int classes) {
        return new RegionLayer(anchors, classes, 4, true, 0.2, true, 5, 1, 1, 1, true, 0.6, true, true);
    }

    @Test
    void needsFiveValuesPlusOnePerClassForEveryAnchor() {
        RegionLayer voc = region(TinyYoloV2.VOC_ANCHORS, 20);

        assertThat(voc.anchorCount()).isEqualTo(5);
        assertThat(voc.valuesPerAnchor()).isEqualTo(25);
        assertThat(voc.outputChannels()).isEqualTo(125);
        assertThat(region(TinyYoloV2.VOC_ANCHORS, 80).outputChannels()).isEqualTo(425);
    }

    @Test
    void keepsTheShapeWhenTheInputHasTheRightChannels() {
        assertThat(region(TinyYoloV2.VOC_ANCHORS, 20).outputShape(new TensorShape(125, 13, 13))).isEqualTo(new TensorShape(125, 13, 13));
    }

    @Test
    void rejectsAnInputWithOtherChannelsAndSaysWhy() {
        assertThatThrownBy(() -> region(TinyYoloV2.VOC_ANCHORS, 3).outputShape(new TensorShape(125, 13, 13)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 * (4 + 1 + 3) = 40")
                .hasMessageContaining("gives 125");
    }

    @Test
    void withClassesAndWithAnchorsChangeOnlyThose() {
        RegionLayer voc = region(TinyYoloV2.VOC_ANCHORS, 20);
        List<Anchor> two = List.of(new Anchor(1, 2), new Anchor(3, 4));

        assertThat(voc.withClasses(3)).isEqualTo(region(TinyYoloV2.VOC_ANCHORS, 3));
        assertThat(voc.withAnchors(two)).isEqualTo(region(two, 20));
    }

    @Test
    void copiesTheAnchorList() {
        List<Anchor> anchors = new ArrayList<>(TinyYoloV2.VOC_ANCHORS);
        RegionLayer layer = region(anchors, 20);
        anchors.clear();

        assertThat(layer.anchors()).hasSize(5);
        assertThatThrownBy(() -> layer.anchors().add(new Anchor(1, 1))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsOutOfRangeSettings() {
        assertThatThrownBy(() -> region(List.of(), 20)).hasMessageContaining("at least one anchor");
        assertThatThrownBy(() -> region(TinyYoloV2.VOC_ANCHORS, 0)).hasMessageContaining("classes");
        assertThatThrownBy(() -> new RegionLayer(TinyYoloV2.VOC_ANCHORS, 20, 5, true, 0.2, true, 5, 1, 1, 1, true, 0.6, true, true))
                .hasMessageContaining("coords must be 4");
        assertThatThrownBy(() -> new RegionLayer(TinyYoloV2.VOC_ANCHORS, 20, 4, true, 1.2, true, 5, 1, 1, 1, true, 0.6, true, true))
                .hasMessageContaining("jitter");
        assertThatThrownBy(() -> new RegionLayer(TinyYoloV2.VOC_ANCHORS, 20, 4, true, 0.2, true, 5, 1, 1, 1, true, 1.6, true, true))
                .hasMessageContaining("thresh");
        assertThatThrownBy(() -> new RegionLayer(TinyYoloV2.VOC_ANCHORS, 20, 4, true, 0.2, true, -5, 1, 1, 1, true, 0.6, true, true))
                .hasMessageContaining("object_scale");
    }

    @Test
    void anchorsArePositiveAndFinite() {
        assertThat(new Anchor(1.08, 1.19).width()).isEqualTo(1.08);
        assertThatThrownBy(() -> new Anchor(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Anchor(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Anchor(Double.POSITIVE_INFINITY, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}

package org.yolofleet.core.detect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BoundingBoxTest {
    @Test
    void measuresItself() {
        BoundingBox box = new BoundingBox(10, 20, 40, 60);
        assertThat(box.width()).isEqualTo(30);
        assertThat(box.height()).isEqualTo(40);
        assertThat(box.area()).isEqualTo(1200);
        assertThat(box.centerX()).isEqualTo(25);
        assertThat(box.centerY()).isEqualTo(40);
    }

    @Test
    void emptyMeansZeroWidthOrHeight() {
        assertThat(new BoundingBox(10, 20, 40, 60).isEmpty()).isFalse();
        assertThat(new BoundingBox(10, 20, 10, 60).isEmpty()).isTrue();
        assertThat(new BoundingBox(10, 20, 40, 20).isEmpty()).isTrue();
        assertThat(new BoundingBox(10, 20, 10.001, 20.001).isEmpty()).isFalse();
    }

    @Test
    void buildsFromCenterAndSize() {
        assertThat(BoundingBox.fromCenter(25, 40, 30, 40)).isEqualTo(new BoundingBox(10, 20, 40, 60));
        assertThatThrownBy(() -> BoundingBox.fromCenter(0, 0, -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void iouOfPartlyOverlappingBoxes() {
        // intersection 1 x 2 = 2, union 4 + 4 - 2 = 6
        BoundingBox first = new BoundingBox(0, 0, 2, 2);
        BoundingBox second = new BoundingBox(1, 0, 3, 2);
        assertThat(first.intersectionArea(second)).isEqualTo(2);
        assertThat(first.iou(second)).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(second.iou(first)).isEqualTo(first.iou(second));
    }

    @Test
    void iouOfContainedIdenticalDisjointAndTouchingBoxes() {
        BoundingBox outer = new BoundingBox(0, 0, 4, 4);
        assertThat(outer.iou(new BoundingBox(1, 1, 3, 3))).isEqualTo(0.25);
        assertThat(outer.iou(outer)).isEqualTo(1);
        assertThat(outer.iou(new BoundingBox(5, 5, 6, 6))).isZero();
        assertThat(outer.iou(new BoundingBox(4, 0, 6, 4))).isZero();
    }

    @Test
    void emptyBoxesHaveNoOverlap() {
        BoundingBox point = new BoundingBox(1, 1, 1, 1);
        assertThat(point.area()).isZero();
        assertThat(point.iou(point)).isZero();
        assertThat(point.iou(new BoundingBox(0, 0, 2, 2))).isZero();
    }

    @Test
    void clipsToTheImage() {
        assertThat(new BoundingBox(-5, 10, 120, 90).clip(100, 80)).isEqualTo(new BoundingBox(0, 10, 100, 80));
        assertThat(new BoundingBox(150, 10, 170, 20).clip(100, 80)).isEqualTo(new BoundingBox(100, 10, 100, 20));
    }

    @Test
    void scales() {
        assertThat(new BoundingBox(0.25, 0.5, 0.5, 1).scale(100, 50)).isEqualTo(new BoundingBox(25, 25, 50, 50));
        assertThatThrownBy(() -> new BoundingBox(0, 0, 1, 1).scale(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsInvertedAndNonFiniteCorners() {
        assertThatThrownBy(() -> new BoundingBox(2, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("xmin <= xmax");
        assertThatThrownBy(() -> new BoundingBox(0, 2, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BoundingBox(Double.NaN, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> new BoundingBox(0, 0, Double.POSITIVE_INFINITY, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void detectionValidatesItsFields() {
        BoundingBox box = new BoundingBox(0, 0, 1, 1);
        assertThat(new Detection(3, 0.5, box).classId()).isEqualTo(3);
        assertThatThrownBy(() -> new Detection(-1, 0.5, box)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Detection(0, 1.5, box)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Detection(0, Double.NaN, box)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Detection(0, 0.5, null)).isInstanceOf(NullPointerException.class);
    }
}

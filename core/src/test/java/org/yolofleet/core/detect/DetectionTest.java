package org.yolofleet.core.detect;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectionTest {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 480;

    @Test
    void boxPartlyOutsideIsClippedAndKeepsItsClassAndScore() {
        Detection detection = new Detection(2, 0.75, new BoundingBox(600, -10, 700, 40));
        assertThat(detection.clippedTo(WIDTH, HEIGHT)).contains(new Detection(2, 0.75, new BoundingBox(600, 0, 640, 40)));
    }

    @Test
    void boxInsideIsKeptAsItIs() {
        Detection detection = new Detection(0, 0.5, new BoundingBox(10, 20, 30, 40));
        assertThat(detection.clippedTo(WIDTH, HEIGHT)).contains(detection);
    }

    @Test
    void boxWhollyRightOfTheImageIsNoDetection() {
        // clips to [640, 100, 640, 200]: zero width
        assertThat(new Detection(1, 0.9, new BoundingBox(700, 100, 800, 200)).clippedTo(WIDTH, HEIGHT)).isEmpty();
    }

    @Test
    void boxWithZeroHeightAfterClippingIsNoDetection() {
        // above the image, as wide as it and wider: clips to [0, 0, 640, 0] (the issue's [0, 0, 768, 0] at 768 wide)
        assertThat(new Detection(0, 0.28, new BoundingBox(-20, -40, 800, -5)).clippedTo(WIDTH, HEIGHT)).isEmpty();
        // below the image: clips to [10, 480, 100, 480]
        assertThat(new Detection(0, 0.28, new BoundingBox(10, 480, 100, 520)).clippedTo(WIDTH, HEIGHT)).isEmpty();
    }

    @Test
    void boxThatTouchesTheBorderFromOutsideIsNoDetection() {
        assertThat(new Detection(0, 0.5, new BoundingBox(-30, 10, 0, 50)).clippedTo(WIDTH, HEIGHT)).isEmpty();
    }

    @Test
    void clipAllDropsWhatClipsToNothingAndKeepsTheOrder() {
        Detection best = new Detection(0, 0.9, new BoundingBox(10, 10, 50, 50));
        Detection outside = new Detection(1, 0.8, new BoundingBox(700, 10, 750, 50));
        Detection partly = new Detection(2, 0.7, new BoundingBox(620, 400, 660, 500));
        assertThat(Detection.clipAll(List.of(best, outside, partly), WIDTH, HEIGHT))
                .containsExactly(best, new Detection(2, 0.7, new BoundingBox(620, 400, 640, 480)));
        assertThat(Detection.clipAll(List.of(), WIDTH, HEIGHT)).isEmpty();
    }

    @Test
    void rejectsANegativeImageSize() {
        Detection detection = new Detection(0, 0.5, new BoundingBox(10, 20, 30, 40));
        assertThatThrownBy(() -> detection.clippedTo(-1, HEIGHT)).isInstanceOf(IllegalArgumentException.class);
    }
}

package org.yolofleet.core.detect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LetterboxTest {
    private static final double TOLERANCE = 1e-6;

    @Test
    void squareImageFillsTheInput() {
        assertThat(Letterbox.letterbox(832, 832, 416, 416)).isEqualTo(new Letterbox(832, 832, 416, 416, 416, 416, 0, 0));
    }

    @Test
    void landscapeImageGetsTopAndBottomBorders() {
        // 416 / 640 < 416 / 480: width fills, height 480 * 416 / 640 = 312, offset (416 - 312) / 2 = 52
        Letterbox letterbox = Letterbox.letterbox(640, 480, 416, 416);
        assertThat(letterbox).isEqualTo(new Letterbox(640, 480, 416, 416, 416, 312, 0, 52));
        assertThat(letterbox.scaleX()).isEqualTo(0.65);
        assertThat(letterbox.scaleY()).isEqualTo(0.65);
        assertThat(letterbox.imageX(0.5)).isCloseTo(320, within(TOLERANCE));
        assertThat(letterbox.imageY(0.5)).isCloseTo(240, within(TOLERANCE));
        assertThat(letterbox.imageY(52.0 / 416)).isCloseTo(0, within(TOLERANCE));
        assertThat(letterbox.imageY(364.0 / 416)).isCloseTo(480, within(TOLERANCE));
    }

    @Test
    void portraitImageGetsSideBordersWithDarknetTruncation() {
        // 416 / 353 > 416 / 500: height fills, width 353 * 416 / 500 = 293.696 -> 293, offset (416 - 293) / 2 = 61
        Letterbox letterbox = Letterbox.letterbox(353, 500, 416, 416);
        assertThat(letterbox).isEqualTo(new Letterbox(353, 500, 416, 416, 293, 416, 61, 0));
        assertThat(letterbox.imageX(61.0 / 416)).isCloseTo(0, within(TOLERANCE));
        assertThat(letterbox.imageX(354.0 / 416)).isCloseTo(353, within(TOLERANCE));
    }

    @Test
    void nonSquareNetwork() {
        // 608 / 1000 < 320 / 300: width fills, height 300 * 608 / 1000 = 182.4 -> 182, offset (320 - 182) / 2 = 69
        assertThat(Letterbox.letterbox(1000, 300, 608, 320)).isEqualTo(new Letterbox(1000, 300, 608, 320, 608, 182, 0, 69));
    }

    @Test
    void letterboxThenUndoReturnsTheOriginalBox() {
        BoundingBox original = new BoundingBox(12.5, 33.25, 301.75, 470.5);
        for (Letterbox letterbox : new Letterbox[] {
                Letterbox.letterbox(353, 500, 416, 416),
                Letterbox.letterbox(640, 480, 416, 416),
                Letterbox.letterbox(500, 333, 608, 320),
                Letterbox.resize(353, 500, 416, 416)}) {
            BoundingBox networkBox = letterbox.toNetwork(original);
            BoundingBox restored = letterbox.toImage(networkBox);
            assertThat(restored.xmin()).isCloseTo(original.xmin(), within(TOLERANCE));
            assertThat(restored.ymin()).isCloseTo(original.ymin(), within(TOLERANCE));
            assertThat(restored.xmax()).isCloseTo(original.xmax(), within(TOLERANCE));
            assertThat(restored.ymax()).isCloseTo(original.ymax(), within(TOLERANCE));
        }
    }

    @Test
    void forwardMappingPlacesTheImageInsideTheBorders() {
        Letterbox letterbox = Letterbox.letterbox(640, 480, 416, 416);
        BoundingBox whole = letterbox.toNetwork(new BoundingBox(0, 0, 640, 480));
        assertThat(whole.xmin()).isCloseTo(0, within(TOLERANCE));
        assertThat(whole.xmax()).isCloseTo(1, within(TOLERANCE));
        assertThat(whole.ymin()).isCloseTo(52.0 / 416, within(TOLERANCE));
        assertThat(whole.ymax()).isCloseTo(364.0 / 416, within(TOLERANCE));
    }

    @Test
    void plainResizeStretchesEachAxis() {
        Letterbox resize = Letterbox.resize(640, 480, 416, 416);
        assertThat(resize).isEqualTo(new Letterbox(640, 480, 416, 416, 416, 416, 0, 0));
        assertThat(resize.toImage(new BoundingBox(0.25, 0.5, 0.75, 1))).isEqualTo(new BoundingBox(160, 240, 480, 480));
        assertThat(resize.scaleX()).isNotEqualTo(resize.scaleY());
    }

    @Test
    void rejectsGeometryThatDoesNotFit() {
        assertThatThrownBy(() -> Letterbox.letterbox(0, 480, 416, 416)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image width");
        assertThatThrownBy(() -> new Letterbox(640, 480, 416, 416, 416, 312, 1, 52))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("network width 416");
        assertThatThrownBy(() -> new Letterbox(640, 480, 416, 416, 416, 312, 0, 105)).isInstanceOf(IllegalArgumentException.class);
    }
}

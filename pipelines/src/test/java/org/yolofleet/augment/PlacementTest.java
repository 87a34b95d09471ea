package org.yolofleet.augment;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Letterbox;
import org.yolofleet.core.image.Placement;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.model.ResizeMode;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PlacementTest {
    private static final List<int[]> IMAGE_SIZES = List.of(
            new int[] {500, 375}, new int[] {375, 500}, new int[] {100, 60}, new int[] {416, 416}, new int[] {1000, 97},
            new int[] {33, 800});

    @Test
    void wholeImageLetterboxIsTheInferenceLetterbox() {
        for (int[] size : IMAGE_SIZES) {
            Placement placement = Placement.ofImage(size[0], size[1], 416, 416, ResizeMode.LETTERBOX);
            Letterbox letterbox = Letterbox.letterbox(size[0], size[1], 416, 416);
            assertThat(placement.contentWidth()).isEqualTo(letterbox.resizedWidth());
            assertThat(placement.contentHeight()).isEqualTo(letterbox.resizedHeight());
            assertThat(placement.offsetX()).isEqualTo(letterbox.offsetX());
            assertThat(placement.offsetY()).isEqualTo(letterbox.offsetY());
        }
    }

    @Test
    void letterboxThenUndoLetterboxReturnsTheOriginalBoxWithinOnePixel() {
        Random random = new Random(3);
        for (int[] size : IMAGE_SIZES) {
            for (ResizeMode mode : ResizeMode.values()) {
                Placement placement = Placement.ofImage(size[0], size[1], 416, 320, mode);
                Letterbox inference = switch (mode) {
                    case LETTERBOX -> Letterbox.letterbox(size[0], size[1], 416, 320);
                    case RESIZE -> Letterbox.resize(size[0], size[1], 416, 320);
                };
                for (int trial = 0; trial < 50; trial++) {
                    BoundingBox original = randomBox(random, size[0], size[1]);
                    BoundingBox onCanvas = placement.toOutput(original);
                    BoundingBox normalised = new BoundingBox(onCanvas.xmin() / 416, onCanvas.ymin() / 320, onCanvas.xmax() / 416,
                            onCanvas.ymax() / 320);

                    assertClose(inference.toImage(normalised), original, 1.0);
                    assertClose(placement.toSource(onCanvas), original, 1e-9);
                }
            }
        }
    }

    @Test
    void letterboxedPixelsUndoToTheOriginalRectangleWithinOnePixel() {
        for (int[] size : List.of(new int[] {160, 120}, new int[] {120, 160}, new int[] {300, 90})) {
            byte[] pixels = new byte[3 * size[0] * size[1]];
            BoundingBox rectangle = new BoundingBox(Math.round(size[0] * 0.3), Math.round(size[1] * 0.2), Math.round(size[0] * 0.7),
                    Math.round(size[1] * 0.9));
            AugmentFixtures.fill(pixels, size[0], rectangle, 0xffffff);
            RgbImage image = new RgbImage(size[0], size[1], pixels);
            ImageAugmenter augmenter = new ImageAugmenter(96, 96, ResizeMode.LETTERBOX, new BoxRules(0, 0));

            RgbImage canvas = augmenter.apply(image, List.of(), AugmentationParameters.identity(size[0], size[1])).image();
            BoundingBox found = Regions.boundsOf(canvas, rgb -> (rgb & 0xff) > 191);
            BoundingBox undone = Letterbox.letterbox(size[0], size[1], 96, 96)
                    .toImage(new BoundingBox(found.xmin() / 96, found.ymin() / 96, found.xmax() / 96, found.ymax() / 96));

            // the region is found to the canvas pixel: within 1 pixel there, within one canvas pixel's worth in the source
            Placement placement = Placement.ofImage(size[0], size[1], 96, 96, ResizeMode.LETTERBOX);
            assertClose(found, placement.toOutput(rectangle), 1.0);
            assertClose(undone, rectangle, Math.max(1.0, 1 / placement.scaleX()));
        }
    }

    @Test
    void resizeFillsTheCanvasAndLetterboxKeepsTheAspectRatio() {
        Placement resized = Placement.of(-10.5, 3.25, 190.5, 103.25, 128, 96, ResizeMode.RESIZE);
        assertThat(resized.contentWidth()).isEqualTo(128);
        assertThat(resized.contentHeight()).isEqualTo(96);
        assertThat(resized.toOutputX(-10.5)).isEqualTo(0);
        assertThat(resized.toOutputX(190.5)).isCloseTo(128, within(1e-9));

        Placement letterboxed = Placement.of(-10.5, 3.25, 190.5, 103.25, 128, 128, ResizeMode.LETTERBOX);
        assertThat(letterboxed.contentWidth()).isEqualTo(128);
        assertThat(letterboxed.contentHeight()).isEqualTo(63);
        assertThat(letterboxed.offsetY()).isEqualTo(32);
        assertThat(letterboxed.scaleX()).isCloseTo(letterboxed.scaleY(), within(0.02));
    }

    static BoundingBox randomBox(Random random, int width, int height) {
        double left = random.nextDouble() * (width - 2);
        double top = random.nextDouble() * (height - 2);
        return new BoundingBox(left, top, left + 1 + random.nextDouble() * (width - left - 1),
                top + 1 + random.nextDouble() * (height - top - 1));
    }

    static void assertClose(BoundingBox actual, BoundingBox expected, double tolerance) {
        assertThat(actual.xmin()).as("xmin of %s vs %s", actual, expected).isCloseTo(expected.xmin(), within(tolerance));
        assertThat(actual.ymin()).as("ymin of %s vs %s", actual, expected).isCloseTo(expected.ymin(), within(tolerance));
        assertThat(actual.xmax()).as("xmax of %s vs %s", actual, expected).isCloseTo(expected.xmax(), within(tolerance));
        assertThat(actual.ymax()).as("ymax of %s vs %s", actual, expected).isCloseTo(expected.ymax(), within(tolerance));
    }
}

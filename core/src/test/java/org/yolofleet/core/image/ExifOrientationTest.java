package org.yolofleet.core.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class ExifOrientationTest {
    private static final ImageSize STORED = new ImageSize(5, 3);

    @ParameterizedTest
    @EnumSource(ExifOrientation.class)
    void everyStoredPixelAndItsBoxLandTogether(ExifOrientation orientation) {
        int[] pixels = new int[STORED.width() * STORED.height()];
        for (int index = 0; index < pixels.length; index++) {
            pixels[index] = index;
        }
        int[] upright = orientation.uprightPixels(pixels, STORED);
        ImageSize uprightSize = orientation.uprightSize(STORED);
        assertThat(upright).hasSameSizeAs(pixels);
        for (int y = 0; y < STORED.height(); y++) {
            for (int x = 0; x < STORED.width(); x++) {
                PixelBox box = orientation.uprightBox(new PixelBox(x, y, x + 1, y + 1), STORED);
                assertThat(box.width()).isEqualTo(1);
                assertThat(box.height()).isEqualTo(1);
                int landed = upright[(int) box.ymin() * uprightSize.width() + (int) box.xmin()];
                assertThat(landed).as("%s: stored pixel (%d, %d) must be at %s", orientation, x, y, box).isEqualTo(y * STORED.width() + x);
            }
        }
    }

    @Test
    void sizesAndTagValues() {
        assertThat(ExifOrientation.ROTATE_90_CLOCKWISE.uprightSize(STORED)).isEqualTo(new ImageSize(3, 5));
        assertThat(ExifOrientation.ROTATE_180.uprightSize(STORED)).isEqualTo(STORED);
        assertThat(ExifOrientation.ofTagValue(6)).contains(ExifOrientation.ROTATE_90_CLOCKWISE);
        assertThat(ExifOrientation.ofTagValue(8)).contains(ExifOrientation.ROTATE_270_CLOCKWISE);
        assertThat(ExifOrientation.ofTagValue(0)).isEmpty();
        assertThat(ExifOrientation.ofTagValue(9)).isEmpty();
    }

    @Test
    void rotatingAWideBoxClockwise() {
        // a 640x480 photo shot in portrait: the box at the stored top-left ends at the upright top-right
        PixelBox upright = ExifOrientation.ROTATE_90_CLOCKWISE.uprightBox(new PixelBox(0, 0, 100, 50), new ImageSize(640, 480));
        assertThat(upright).isEqualTo(new PixelBox(430, 0, 480, 100));
    }
}

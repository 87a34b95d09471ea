package org.yolofleet.ml;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.quarantine.RecordRejectedException;

import java.awt.image.BufferedImage;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spark's OpenCV-ordered image bytes become the RGB pixels the shared decoder makes of the same picture. */
class SparkImagesTest {
    private static final int WIDTH = 5;
    private static final int HEIGHT = 3;

    @Test
    void bgrBytesAreTheSameRgbPixels() {
        BufferedImage picture = randomPicture(BufferedImage.TYPE_INT_RGB, 1);
        byte[] bgr = new byte[WIDTH * HEIGHT * 3];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int argb = picture.getRGB(x, y);
                int at = 3 * (y * WIDTH + x);
                bgr[at] = (byte) argb;
                bgr[at + 1] = (byte) (argb >> 8);
                bgr[at + 2] = (byte) (argb >> 16);
            }
        }

        RgbImage image = SparkImages.toRgb(WIDTH, HEIGHT, 3, bgr);

        assertThat(image.pixels()).containsExactly(ImageDecoder.rgb(picture).pixels());
        assertThat(image.rgb(4, 2)).isEqualTo(picture.getRGB(4, 2) & 0xFFFFFF);
    }

    @Test
    void bgraBytesAreCompositedOnWhiteLikeAnyTransparentImage() {
        BufferedImage picture = randomPicture(BufferedImage.TYPE_INT_ARGB, 2);
        byte[] bgra = new byte[WIDTH * HEIGHT * 4];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int argb = picture.getRGB(x, y);
                int at = 4 * (y * WIDTH + x);
                bgra[at] = (byte) argb;
                bgra[at + 1] = (byte) (argb >> 8);
                bgra[at + 2] = (byte) (argb >> 16);
                bgra[at + 3] = (byte) (argb >>> 24);
            }
        }

        RgbImage image = SparkImages.toRgb(WIDTH, HEIGHT, 4, bgra);

        assertThat(image.pixels()).containsExactly(ImageDecoder.rgb(picture).pixels());
        int transparent = SparkImages.toRgb(1, 1, 4, new byte[] {0, 0, 0, 0}).rgb(0, 0);
        assertThat(transparent).as("a fully transparent black pixel on white").isEqualTo(0xFFFFFF);
    }

    @Test
    void grayBytesBecomeEqualChannels() {
        RgbImage image = SparkImages.toRgb(2, 1, 1, new byte[] {10, (byte) 200});

        assertThat(image.rgb(0, 0)).isEqualTo(0x0A0A0A);
        assertThat(image.rgb(1, 0)).isEqualTo(0xC8C8C8);
    }

    @Test
    void wrongChannelCountsAndLengthsAreUndecodable() {
        assertThatThrownBy(() -> SparkImages.toRgb(2, 2, 2, new byte[8]))
                .isInstanceOfSatisfying(RecordRejectedException.class,
                        rejected -> assertThat(rejected.reason()).isEqualTo(QuarantineReason.IMAGE_UNDECODABLE))
                .hasMessageContaining("2 channels per pixel");
        assertThatThrownBy(() -> SparkImages.toRgb(2, 2, 3, new byte[11]))
                .isInstanceOf(RecordRejectedException.class)
                .hasMessageContaining("11 bytes of data for a 2 x 2 image of 3 channels (12 expected)");
    }

    private static BufferedImage randomPicture(int type, long seed) {
        Random random = new Random(seed);
        BufferedImage picture = new BufferedImage(WIDTH, HEIGHT, type);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                picture.setRGB(x, y, random.nextInt());
            }
        }
        return picture;
    }
}

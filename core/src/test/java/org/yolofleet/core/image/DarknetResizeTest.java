package org.yolofleet.core.image;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.Letterbox;
import org.yolofleet.core.model.ResizeFilter;
import org.yolofleet.core.model.ResizeMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DarknetResizeTest {
    @Test
    void samplesBetweenCornerAlignedPixelsAsResizeImageDoes() {
        // one row 0, 51, 255 (red only) to 5 wide: w_scale = (3 - 1) / (5 - 1) = 0.5, samples at 0, 0.5, 1, 1.5 and the last pixel
        RgbImage row = new RgbImage(3, 1, new byte[] {0, 0, 0, 51, 0, 0, (byte) 255, 0, 0});

        float[] resized = DarknetResize.resize(row, 5, 1);

        float first = (float) (51 / 255.0);
        float last = (float) (255 / 255.0);
        assertThat(resized[0]).isEqualTo(0f);
        assertThat(resized[1]).isEqualTo(0.5f * first);
        assertThat(resized[2]).isEqualTo(first);
        assertThat(resized[3]).isEqualTo(0.5f * first + 0.5f * last);
        assertThat(resized[4]).isEqualTo(last);
        assertThat(resized[5]).as("green plane").isEqualTo(0f);
    }

    @Test
    void agreesWithBilinearInterpolationOfTheCornerAlignedGrid() {
        int size = 9;
        byte[] pixels = new byte[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                pixels[3 * (y * size + x)] = (byte) (x * 31 % 256);
                pixels[3 * (y * size + x) + 1] = (byte) (y * 29 % 256);
                pixels[3 * (y * size + x) + 2] = (byte) ((x * y * 7) % 256);
            }
        }
        RgbImage image = new RgbImage(size, size, pixels);
        int target = 6;

        float[] resized = DarknetResize.resize(image, target, target);

        double scale = (size - 1) / (double) (target - 1);
        for (int channel = 0; channel < 3; channel++) {
            for (int y = 0; y < target; y++) {
                for (int x = 0; x < target; x++) {
                    double expected = bilinear(pixels, size, channel, x * scale, y * scale) / 255.0;
                    assertThat((double) resized[(channel * target + y) * target + x]).isCloseTo(expected, within(1e-5));
                }
            }
        }
    }

    @Test
    void aLetterboxedModelSeesDarknetsGreyBordersAndAnAliasingReduction() {
        byte[] stripes = new byte[3 * 64 * 32];
        for (int index = 0; index < 64 * 32; index++) {
            int value = (index % 64) % 2 == 0 ? 255 : 0;
            stripes[3 * index] = (byte) value;
            stripes[3 * index + 1] = (byte) value;
            stripes[3 * index + 2] = (byte) value;
        }
        RgbImage image = new RgbImage(64, 32, stripes);

        NetworkInput darknet = new ImagePreprocessor(32, 32, ResizeMode.LETTERBOX, ResizeFilter.DARKNET).preprocess(image);
        NetworkInput area = new ImagePreprocessor(32, 32, ResizeMode.LETTERBOX, ResizeFilter.AREA).preprocess(image);

        Letterbox letterbox = darknet.letterbox();
        assertThat(letterbox.resizedWidth()).isEqualTo(32);
        assertThat(letterbox.resizedHeight()).isEqualTo(16);
        assertThat(darknet.value(0, 10, 0)).as("the border").isEqualTo(Letterbox.BORDER_VALUE);
        // one-pixel stripes halved: Darknet's bilinear taps land between stripes and keep contrast; the area filter averages to grey
        float darknetRange = range(darknet, letterbox);
        float areaRange = range(area, letterbox);
        assertThat(darknetRange).isGreaterThan(0.4f);
        assertThat(areaRange).isLessThan(0.1f);
    }

    private static float range(NetworkInput input, Letterbox letterbox) {
        float minimum = Float.MAX_VALUE;
        float maximum = -Float.MAX_VALUE;
        int y = letterbox.offsetY() + letterbox.resizedHeight() / 2;
        for (int x = 1; x < letterbox.resizedWidth() - 1; x++) {
            minimum = Math.min(minimum, input.value(0, x, y));
            maximum = Math.max(maximum, input.value(0, x, y));
        }
        return maximum - minimum;
    }

    private static double bilinear(byte[] pixels, int size, int channel, double x, double y) {
        int left = Math.min((int) x, size - 2);
        int top = Math.min((int) y, size - 2);
        double dx = x - left;
        double dy = y - top;
        double topRow = (1 - dx) * value(pixels, size, channel, left, top) + dx * value(pixels, size, channel, left + 1, top);
        double bottomRow = (1 - dx) * value(pixels, size, channel, left, top + 1) + dx * value(pixels, size, channel, left + 1, top + 1);
        return (1 - dy) * topRow + dy * bottomRow;
    }

    private static int value(byte[] pixels, int size, int channel, int x, int y) {
        return pixels[3 * (y * size + x) + channel] & 0xFF;
    }
}

package org.yolofleet.core.image;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Letterbox;
import org.yolofleet.core.model.ResizeMode;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ImagePreprocessorTest {
    private static final int BLACK = 0x000000;
    private static final int WHITE = 0xFFFFFF;
    private static final float GREY = 0.5f;

    /**
     * A 640 x 480 photo letterboxed into 416 x 416 lands as Darknet puts it: scaled by 0.65 to 416 x 312, 52 grey rows
     * above and below; a white square at (320, 240)-(400, 320) in the photo is white at (208, 208)-(260, 260) in the input.
     */
    @Test
    void letterboxPlacesTheImageCentredOnGrey() {
        RgbImage photo = image(640, 480, BLACK, 320, 240, 400, 320, WHITE);

        NetworkInput input = new ImagePreprocessor(416, 416, ResizeMode.LETTERBOX).preprocess(photo);

        assertThat(input.letterbox()).isEqualTo(new Letterbox(640, 480, 416, 416, 416, 312, 0, 52));
        for (int channel = 0; channel < 3; channel++) {
            for (int x = 0; x < 416; x += 5) {
                for (int y : new int[] {0, 25, 51, 364, 390, 415}) {
                    assertThat(input.value(channel, x, y)).as("border at (%d, %d)", x, y).isEqualTo(GREY);
                }
            }
            assertThat(input.value(channel, 234, 234)).as("inside the square").isCloseTo(1f, within(1e-6f));
            assertThat(input.value(channel, 210, 210)).as("inside the square, near its corner").isCloseTo(1f, within(1e-6f));
            assertThat(input.value(channel, 100, 100)).as("photo outside the square").isCloseTo(0f, within(1e-6f));
            assertThat(input.value(channel, 206, 234)).as("just left of the square").isCloseTo(0f, within(1e-6f));
        }
        BoundingBox square = new BoundingBox(208 / 416.0, 208 / 416.0, 260 / 416.0, 260 / 416.0);
        BoundingBox inPhoto = input.letterbox().toImage(square);
        assertThat(inPhoto.xmin()).isCloseTo(320, within(1e-9));
        assertThat(inPhoto.ymin()).isCloseTo(240, within(1e-9));
        assertThat(inPhoto.xmax()).isCloseTo(400, within(1e-9));
        assertThat(inPhoto.ymax()).isCloseTo(320, within(1e-9));
    }

    /** A tall image gets grey columns left and right instead. */
    @Test
    void letterboxOfATallImageBordersTheSides() {
        RgbImage portrait = image(300, 600, WHITE, 0, 0, 0, 0, WHITE);

        NetworkInput input = new ImagePreprocessor(64, 64, ResizeMode.LETTERBOX).preprocess(portrait);

        assertThat(input.letterbox()).isEqualTo(new Letterbox(300, 600, 64, 64, 32, 64, 16, 0));
        assertThat(input.value(0, 15, 30)).isEqualTo(GREY);
        assertThat(input.value(0, 48, 30)).isEqualTo(GREY);
        assertThat(input.value(0, 32, 30)).isCloseTo(1f, within(1e-6f));
    }

    /** Plain resize stretches: no border, and the square follows each axis's own scale. */
    @Test
    void resizeStretchesWithoutBorder() {
        RgbImage photo = image(640, 480, BLACK, 320, 240, 400, 320, WHITE);

        NetworkInput input = new ImagePreprocessor(416, 416, ResizeMode.RESIZE).preprocess(photo);

        assertThat(input.letterbox()).isEqualTo(Letterbox.resize(640, 480, 416, 416));
        assertThat(input.value(1, 0, 0)).isCloseTo(0f, within(1e-6f));
        assertThat(input.value(1, 415, 415)).isCloseTo(0f, within(1e-6f));
        // x: 320..400 -> 208..260; y: 240..320 -> 208..277.3
        assertThat(input.value(1, 234, 270)).isCloseTo(1f, within(1e-6f));
        assertThat(input.value(1, 234, 282)).isCloseTo(0f, within(1e-6f));
    }

    /** Channel planes in R, G, B order, each value divided by 255. */
    @Test
    void valuesAreRgbPlanesInZeroToOne() {
        RgbImage orange = image(32, 32, 0xFF8000, 0, 0, 0, 0, 0);

        NetworkInput input = new ImagePreprocessor(32, 32, ResizeMode.LETTERBOX).preprocess(orange);

        float[] pixels = input.pixels();
        int plane = 32 * 32;
        assertThat(pixels).hasSize(3 * plane);
        assertThat(slice(pixels, 0, plane)).containsOnly(1f);
        assertThat(slice(pixels, plane, 2 * plane)).containsOnly(128f / 255f);
        assertThat(slice(pixels, 2 * plane, 3 * plane)).containsOnly(0f);
    }

    @Test
    void refusesAnInputOfAnotherSize() {
        Letterbox geometry = Letterbox.letterbox(10, 10, 32, 32);
        assertThatThrownBy(() -> new NetworkInput(new float[3 * 32 * 31], geometry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3072");
    }

    /** A {@code background} image with the rectangle {@code [left, right) x [top, bottom)} in {@code colour}. */
    private static RgbImage image(int width, int height, int background, int left, int top, int right, int bottom, int colour) {
        byte[] pixels = new byte[3 * width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = x >= left && x < right && y >= top && y < bottom ? colour : background;
                int index = 3 * (y * width + x);
                pixels[index] = (byte) (rgb >> 16);
                pixels[index + 1] = (byte) (rgb >> 8);
                pixels[index + 2] = (byte) rgb;
            }
        }
        return new RgbImage(width, height, pixels);
    }

    private static float[] slice(float[] values, int from, int to) {
        return Arrays.copyOfRange(values, from, to);
    }
}

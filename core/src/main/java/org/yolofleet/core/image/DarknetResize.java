package org.yolofleet.core.image;

import org.yolofleet.core.detect.Letterbox;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * Darknet's own way to bring an image to the network: {@code load_image} (bytes to floats, {@code (float) (v / 255.)}),
 * {@code resize_image} (a horizontal, then a vertical bilinear pass between corner-aligned samples,
 * {@code (source - 1) / (target - 1)} apart, in single precision, without anti-aliasing) and {@code letterbox_image}
 * (the resized image embedded in a 0.5 grey canvas). Weights trained by Darknet saw their images this way, so a model
 * imported from Darknet is run with it ({@link org.yolofleet.core.model.ResizeFilter#DARKNET}).
 */
final class DarknetResize {
    private static final int CHANNELS = 3;

    private DarknetResize() {
    }

    /** The network input of an image placed by {@code letterbox} (a letterbox or a plain resize): CHW floats in [0, 1]. */
    static float[] networkInput(RgbImage image, Letterbox letterbox) {
        requireNonNull(image, "image");
        requireNonNull(letterbox, "letterbox");
        int width = letterbox.networkWidth();
        int height = letterbox.networkHeight();
        float[] resized = resize(image, letterbox.resizedWidth(), letterbox.resizedHeight());
        if (letterbox.resizedWidth() == width && letterbox.resizedHeight() == height) {
            return resized;
        }
        float[] boxed = new float[CHANNELS * width * height];
        Arrays.fill(boxed, Letterbox.BORDER_VALUE);
        int resizedPlane = letterbox.resizedWidth() * letterbox.resizedHeight();
        for (int channel = 0; channel < CHANNELS; channel++) {
            for (int row = 0; row < letterbox.resizedHeight(); row++) {
                System.arraycopy(resized, channel * resizedPlane + row * letterbox.resizedWidth(), boxed,
                        (channel * height + letterbox.offsetY() + row) * width + letterbox.offsetX(), letterbox.resizedWidth());
            }
        }
        return boxed;
    }

    /** {@code resize_image}: the image at {@code width x height}, CHW floats in [0, 1], computed as Darknet computes it. */
    static float[] resize(RgbImage image, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("target size must be positive, got " + width + " x " + height);
        }
        int sourceWidth = image.width();
        int sourceHeight = image.height();
        byte[] pixels = image.pixels();
        float widthScale = width == 1 ? 0f : (float) (sourceWidth - 1) / (width - 1);
        float heightScale = height == 1 ? 0f : (float) (sourceHeight - 1) / (height - 1);
        float[] part = new float[CHANNELS * width * sourceHeight];
        for (int channel = 0; channel < CHANNELS; channel++) {
            for (int row = 0; row < sourceHeight; row++) {
                for (int column = 0; column < width; column++) {
                    float value;
                    if (column == width - 1 || sourceWidth == 1) {
                        value = sample(pixels, sourceWidth, sourceWidth - 1, row, channel);
                    } else {
                        float sourceX = column * widthScale;
                        int left = (int) sourceX;
                        float fraction = sourceX - left;
                        value = (1 - fraction) * sample(pixels, sourceWidth, left, row, channel)
                                + fraction * sample(pixels, sourceWidth, left + 1, row, channel);
                    }
                    part[(channel * sourceHeight + row) * width + column] = value;
                }
            }
        }
        float[] resized = new float[CHANNELS * width * height];
        for (int channel = 0; channel < CHANNELS; channel++) {
            for (int row = 0; row < height; row++) {
                float sourceY = row * heightScale;
                int top = (int) sourceY;
                float fraction = sourceY - top;
                int target = (channel * height + row) * width;
                int upper = (channel * sourceHeight + top) * width;
                for (int column = 0; column < width; column++) {
                    resized[target + column] = (1 - fraction) * part[upper + column];
                }
                if (row == height - 1 || sourceHeight == 1) {
                    continue;
                }
                int lower = upper + width;
                for (int column = 0; column < width; column++) {
                    resized[target + column] += fraction * part[lower + column];
                }
            }
        }
        return resized;
    }

    private static float sample(byte[] pixels, int width, int x, int y, int channel) {
        return (float) ((pixels[CHANNELS * (y * width + x) + channel] & 0xFF) / 255.0);
    }
}

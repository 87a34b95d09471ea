package org.yolofleet.core.image;

import org.yolofleet.core.detect.Letterbox;

import static java.util.Objects.requireNonNull;

/**
 * One image as a network sees it: {@code 3 x height x width} floats, RGB in {@code [0, 1]}, channel planes in CHW order
 * (the NCHW layout of DL4J and of our ONNX export, without the batch), and the {@link Letterbox} geometry that placed
 * the image, which maps decoded boxes back to the original image's pixels.
 *
 * <p>The pixel array is shared, not copied (it is half a million floats at 416 x 416): neither side changes it.
 */
public final class NetworkInput {
    private static final int CHANNELS = 3;

    private final float[] pixels;
    private final Letterbox letterbox;

    public NetworkInput(float[] pixels, Letterbox letterbox) {
        this.pixels = requireNonNull(pixels, "pixels");
        this.letterbox = requireNonNull(letterbox, "letterbox");
        long expected = (long) CHANNELS * letterbox.networkWidth() * letterbox.networkHeight();
        if (pixels.length != expected) {
            throw new IllegalArgumentException("a " + letterbox.networkWidth() + " x " + letterbox.networkHeight() + " RGB input has "
                    + expected + " values, got " + pixels.length);
        }
    }

    /** The CHW values themselves (not a copy). */
    public float[] pixels() {
        return pixels;
    }

    public Letterbox letterbox() {
        return letterbox;
    }

    public int width() {
        return letterbox.networkWidth();
    }

    public int height() {
        return letterbox.networkHeight();
    }

    /** The value of one channel (0 red, 1 green, 2 blue) at network pixel {@code (x, y)}. */
    public float value(int channel, int x, int y) {
        if (channel < 0 || channel >= CHANNELS || x < 0 || x >= width() || y < 0 || y >= height()) {
            throw new IndexOutOfBoundsException("channel " + channel + " at (" + x + ", " + y + ") is outside a "
                    + width() + " x " + height() + " RGB input");
        }
        return pixels[(channel * height() + y) * width() + x];
    }
}

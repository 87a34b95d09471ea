package org.yolofleet.augment;

/**
 * Colour jitter done in HSV space, as Darknet's {@code random_distort_image}: hue shifted around the colour circle,
 * saturation and value (exposure) scaled, each pixel converted to HSV and back. Values are clamped to the valid range.
 */
public final class HsvJitter {
    private HsvJitter() {
    }

    /**
     * Jitters interleaved float RGB (0-255) in place.
     *
     * @param hueShift        added to the hue, as a share of the colour circle (wraps around)
     * @param saturationScale multiplies the saturation (result clamped to 1)
     * @param exposureScale   multiplies the value (result clamped to 255)
     */
    public static void apply(float[] channels, double hueShift, double saturationScale, double exposureScale) {
        apply(channels, channels.length / 3, 0, 0, channels.length / 3, 1, hueShift, saturationScale, exposureScale);
    }

    /**
     * Jitters only the pixels of the rectangle {@code [left, right) x [top, bottom)} of an interleaved float RGB image
     * {@code width} pixels wide, in place.
     */
    public static void apply(float[] channels, int width, int left, int top, int right, int bottom, double hueShift,
                             double saturationScale, double exposureScale) {
        float shift = (float) (hueShift - Math.floor(hueShift));
        float saturation = (float) saturationScale;
        float exposure = (float) exposureScale;
        float[] hsv = new float[3];
        for (int y = top; y < bottom; y++) {
            for (int index = 3 * (y * width + left); index < 3 * (y * width + right); index += 3) {
                toHsv(channels[index], channels[index + 1], channels[index + 2], hsv);
                float hue = hsv[0] + shift;
                if (hue >= 1) {
                    hue -= 1;
                }
                float newSaturation = Math.min(1, hsv[1] * saturation);
                float value = Math.min(255, hsv[2] * exposure);
                toRgb(hue, newSaturation, value, channels, index);
            }
        }
    }

    /** RGB (0-255) to hue in [0, 1), saturation in [0, 1] and value in [0, 255], written into {@code hsv}. */
    public static void toHsv(float red, float green, float blue, float[] hsv) {
        float maximum = Math.max(red, Math.max(green, blue));
        float minimum = Math.min(red, Math.min(green, blue));
        float delta = maximum - minimum;
        float hue = 0;
        if (delta > 0) {
            if (maximum == red) {
                hue = (green - blue) / delta;
            } else if (maximum == green) {
                hue = 2 + (blue - red) / delta;
            } else {
                hue = 4 + (red - green) / delta;
            }
            hue /= 6;
            if (hue < 0) {
                hue += 1;
            }
            if (hue >= 1) {
                hue -= 1;
            }
        }
        hsv[0] = hue;
        hsv[1] = maximum > 0 ? delta / maximum : 0;
        hsv[2] = maximum;
    }

    /** HSV back to RGB (0-255), written at {@code target[offset..offset+2]}. */
    public static void toRgb(float hue, float saturation, float value, float[] target, int offset) {
        if (saturation <= 0) {
            target[offset] = value;
            target[offset + 1] = value;
            target[offset + 2] = value;
            return;
        }
        float sector = hue * 6;
        int index = (int) Math.floor(sector);
        float fraction = sector - index;
        float lowest = value * (1 - saturation);
        float falling = value * (1 - saturation * fraction);
        float rising = value * (1 - saturation * (1 - fraction));
        float red;
        float green;
        float blue;
        switch (index % 6) {
            case 0 -> {
                red = value;
                green = rising;
                blue = lowest;
            }
            case 1 -> {
                red = falling;
                green = value;
                blue = lowest;
            }
            case 2 -> {
                red = lowest;
                green = value;
                blue = rising;
            }
            case 3 -> {
                red = lowest;
                green = falling;
                blue = value;
            }
            case 4 -> {
                red = rising;
                green = lowest;
                blue = value;
            }
            default -> {
                red = value;
                green = lowest;
                blue = falling;
            }
        }
        target[offset] = red;
        target[offset + 1] = green;
        target[offset + 2] = blue;
    }
}

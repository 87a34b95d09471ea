package org.yolofleet.augment;

import java.util.SplittableRandom;

/**
 * The random choices of one augmented copy, drawn once and then applied to the pixels and the boxes alike. Recorded
 * in the copy's JSON so a sample can be reproduced and explained.
 *
 * @param cropLeft        left edge of the crop window in source pixels (negative: the window reaches past the image)
 * @param cropTop         top edge of the crop window in source pixels
 * @param cropRight       right edge of the crop window in source pixels, greater than {@code cropLeft}
 * @param cropBottom      bottom edge of the crop window in source pixels, greater than {@code cropTop}
 * @param flip            whether the result is mirrored left to right
 * @param hueShift        added to the hue, as a share of the colour circle
 * @param saturationScale multiplies the saturation
 * @param exposureScale   multiplies the value (brightness)
 */
public record AugmentationParameters(
        double cropLeft,
        double cropTop,
        double cropRight,
        double cropBottom,
        boolean flip,
        double hueShift,
        double saturationScale,
        double exposureScale) {

    public AugmentationParameters {
        if (!Double.isFinite(cropLeft) || !Double.isFinite(cropTop) || !Double.isFinite(cropRight) || !Double.isFinite(cropBottom)
                || !(cropRight > cropLeft) || !(cropBottom > cropTop)) {
            throw new IllegalArgumentException("crop window must be finite with positive size, got (" + cropLeft + ", " + cropTop
                    + ") - (" + cropRight + ", " + cropBottom + ")");
        }
        if (!Double.isFinite(hueShift) || !(saturationScale > 0 && Double.isFinite(saturationScale))
                || !(exposureScale > 0 && Double.isFinite(exposureScale))) {
            throw new IllegalArgumentException("colour changes must be finite and the scales positive, got hue " + hueShift
                    + ", saturation " + saturationScale + ", exposure " + exposureScale);
        }
    }

    /** The whole image, unflipped, colours untouched: what validation images and the original copy get. */
    public static AugmentationParameters identity(int imageWidth, int imageHeight) {
        return new AugmentationParameters(0, 0, imageWidth, imageHeight, false, 0, 1, 1);
    }

    /**
     * Draws the parameters of one copy the way Darknet's {@code load_data_detection} does: each side of the crop
     * window moves by up to {@code jitter} of the image size, then flip, then hue, saturation and exposure.
     */
    public static AugmentationParameters draw(AugmentationSettings settings, int imageWidth, int imageHeight, SplittableRandom random) {
        if (imageWidth <= 0 || imageHeight <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + imageWidth + "x" + imageHeight);
        }
        double horizontal = settings.jitter() * imageWidth;
        double vertical = settings.jitter() * imageHeight;
        double left = uniform(random, -horizontal, horizontal);
        double right = uniform(random, -horizontal, horizontal);
        double top = uniform(random, -vertical, vertical);
        double bottom = uniform(random, -vertical, vertical);
        boolean flip = random.nextDouble() < settings.flipProbability();
        double hue = uniform(random, -settings.hue(), settings.hue());
        double saturation = randomScale(random, settings.saturation());
        double exposure = randomScale(random, settings.exposure());
        return new AugmentationParameters(left, top, imageWidth - right, imageHeight - bottom, flip, hue, saturation, exposure);
    }

    public double cropWidth() {
        return cropRight - cropLeft;
    }

    public double cropHeight() {
        return cropBottom - cropTop;
    }

    /** Whether the colours are left as they are. */
    public boolean keepsColours() {
        return hueShift == 0 && saturationScale == 1 && exposureScale == 1;
    }

    private static double uniform(SplittableRandom random, double minimum, double maximum) {
        if (minimum == maximum) {
            return minimum + 0.0; // no -0.0: a zero-strength setting gives exactly the identity
        }
        return minimum + (maximum - minimum) * random.nextDouble();
    }

    /** Darknet's {@code rand_scale}: a factor in [1, scale], inverted half of the time. */
    private static double randomScale(SplittableRandom random, double scale) {
        double factor = uniform(random, 1, scale);
        return random.nextBoolean() ? factor : 1 / factor;
    }
}

package org.yolofleet.augment;

import org.yolofleet.core.image.Placement;
import org.yolofleet.core.image.Resampler;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.model.ResizeMode;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Applies one set of {@link AugmentationParameters} to an image and its boxes: crop/translate/scale the source
 * window, letterbox or resize it onto the network canvas, jitter the photo's colours in HSV space (the grey around
 * it stays 0.5 grey), mirror it. Pure Java,
 * no Spark; the same input and parameters always give the same pixels.
 */
public final class ImageAugmenter implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int canvasWidth;
    private final int canvasHeight;
    private final ResizeMode mode;
    private final BoxRules rules;

    public ImageAugmenter(int canvasWidth, int canvasHeight, ResizeMode mode, BoxRules rules) {
        if (canvasWidth <= 0 || canvasHeight <= 0) {
            throw new IllegalArgumentException("canvas size must be positive, got " + canvasWidth + "x" + canvasHeight);
        }
        this.canvasWidth = canvasWidth;
        this.canvasHeight = canvasHeight;
        this.mode = requireNonNull(mode, "mode");
        this.rules = requireNonNull(rules, "rules");
    }

    /** An augmented image on the canvas, the boxes that survived (canvas pixels), the count dropped, and the placement used. */
    public record AugmentedImage(RgbImage image, List<LabelledPixelBox> boxes, int droppedBoxes, Placement placement) {
        public AugmentedImage {
            requireNonNull(image, "image");
            boxes = List.copyOf(boxes);
            requireNonNull(placement, "placement");
        }
    }

    public AugmentedImage apply(RgbImage source, List<LabelledPixelBox> boxes, AugmentationParameters parameters) {
        Placement placement = Placement.of(parameters.cropLeft(), parameters.cropTop(), parameters.cropRight(), parameters.cropBottom(),
                canvasWidth, canvasHeight, mode);
        float[] channels = Resampler.resample(source, placement, Placement.BACKGROUND);
        if (!parameters.keepsColours()) {
            // the photo only: the letterbox border and the grey beyond the photo stay Darknet's 0.5, as at inference
            int left = Math.max(0, (int) Math.floor(placement.toOutputX(Math.max(0, parameters.cropLeft()))));
            int top = Math.max(0, (int) Math.floor(placement.toOutputY(Math.max(0, parameters.cropTop()))));
            int right = Math.min(canvasWidth, (int) Math.ceil(placement.toOutputX(Math.min(source.width(), parameters.cropRight()))));
            int bottom = Math.min(canvasHeight, (int) Math.ceil(placement.toOutputY(Math.min(source.height(), parameters.cropBottom()))));
            HsvJitter.apply(channels, canvasWidth, left, top, right, bottom, parameters.hueShift(), parameters.saturationScale(),
                    parameters.exposureScale());
        }
        if (parameters.flip()) {
            flipHorizontally(channels, canvasWidth, canvasHeight);
        }
        BoxMapper.MappedBoxes mapped = BoxMapper.map(boxes, source.width(), source.height(), parameters, placement, rules);
        return new AugmentedImage(RgbImage.fromChannels(canvasWidth, canvasHeight, channels), mapped.kept(), mapped.dropped(), placement);
    }

    /** The image mirrored left to right (a new image). */
    public static RgbImage flipHorizontally(RgbImage image) {
        byte[] pixels = image.pixels().clone();
        int width = image.width();
        for (int y = 0; y < image.height(); y++) {
            int row = y * width * 3;
            for (int left = 0, right = width - 1; left < right; left++, right--) {
                for (int channel = 0; channel < 3; channel++) {
                    byte swap = pixels[row + left * 3 + channel];
                    pixels[row + left * 3 + channel] = pixels[row + right * 3 + channel];
                    pixels[row + right * 3 + channel] = swap;
                }
            }
        }
        return new RgbImage(width, image.height(), pixels);
    }

    static void flipHorizontally(float[] channels, int width, int height) {
        for (int y = 0; y < height; y++) {
            int row = y * width * 3;
            for (int left = 0, right = width - 1; left < right; left++, right--) {
                for (int channel = 0; channel < 3; channel++) {
                    float swap = channels[row + left * 3 + channel];
                    channels[row + left * 3 + channel] = channels[row + right * 3 + channel];
                    channels[row + right * 3 + channel] = swap;
                }
            }
        }
    }
}

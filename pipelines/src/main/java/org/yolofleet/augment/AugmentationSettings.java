package org.yolofleet.augment;

import java.io.Serial;
import java.io.Serializable;

/**
 * How strongly training copies are augmented, in Darknet's terms ({@code [net]} of {@code yolov2-tiny-voc.cfg}).
 *
 * @param jitter          each side of the crop window moves by up to this share of the image size, in or out
 *                        (crop, translate and scale jitter in one), in [0, 0.5)
 * @param hue             the hue is shifted by up to this share of the colour circle, either way, in [0, 0.5]
 * @param saturation      saturation is scaled by a factor in [1, saturation], or its reciprocal, &gt;= 1
 * @param exposure        value (brightness) is scaled the same way, &gt;= 1
 * @param flipProbability chance of a horizontal flip, in [0, 1]
 */
public record AugmentationSettings(double jitter, double hue, double saturation, double exposure, double flipProbability)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The values of {@code yolov2-tiny-voc.cfg}: jitter 0.2, hue 0.1, saturation 1.5, exposure 1.5, flip 0.5. */
    public static final AugmentationSettings DARKNET_DEFAULTS = new AugmentationSettings(0.2, 0.1, 1.5, 1.5, 0.5);

    /** No augmentation at all: every copy is the resized original. */
    public static final AugmentationSettings NONE = new AugmentationSettings(0, 0, 1, 1, 0);

    public AugmentationSettings {
        if (!(jitter >= 0 && jitter < 0.5)) {
            throw new IllegalArgumentException("jitter must be in [0, 0.5), got " + jitter);
        }
        if (!(hue >= 0 && hue <= 0.5)) {
            throw new IllegalArgumentException("hue must be in [0, 0.5], got " + hue);
        }
        if (!(saturation >= 1 && Double.isFinite(saturation))) {
            throw new IllegalArgumentException("saturation must be a finite number >= 1, got " + saturation);
        }
        if (!(exposure >= 1 && Double.isFinite(exposure))) {
            throw new IllegalArgumentException("exposure must be a finite number >= 1, got " + exposure);
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + flipProbability);
        }
    }
}

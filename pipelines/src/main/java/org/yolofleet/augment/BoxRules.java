package org.yolofleet.augment;

import java.io.Serial;
import java.io.Serializable;

/**
 * When a box that augmentation cut is still worth training on.
 *
 * @param minVisibleFraction a box is dropped when the part left inside the crop is under this share of its area, in [0, 1]
 * @param minSizePixels      a box is dropped when it ends up narrower or lower than this on the network canvas
 */
public record BoxRules(double minVisibleFraction, double minSizePixels) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public BoxRules {
        if (!(minVisibleFraction >= 0 && minVisibleFraction <= 1)) {
            throw new IllegalArgumentException("minimum visible fraction must be in [0, 1], got " + minVisibleFraction);
        }
        if (!(minSizePixels >= 0 && Double.isFinite(minSizePixels))) {
            throw new IllegalArgumentException("minimum size must be a finite number >= 0, got " + minSizePixels);
        }
    }
}

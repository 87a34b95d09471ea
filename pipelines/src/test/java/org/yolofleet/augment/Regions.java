package org.yolofleet.augment;

import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.image.RgbImage;

import java.util.function.IntPredicate;

/** Finds coloured regions in test images: the pixels whose 0xRRGGBB value passes a test. */
final class Regions {
    private Regions() {
    }

    /** The smallest box (pixel edges) holding every matching pixel. */
    static BoundingBox boundsOf(RgbImage image, IntPredicate matches) {
        int left = Integer.MAX_VALUE;
        int top = Integer.MAX_VALUE;
        int right = -1;
        int bottom = -1;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                if (matches.test(image.rgb(x, y))) {
                    left = Math.min(left, x);
                    top = Math.min(top, y);
                    right = Math.max(right, x);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        if (right < 0) {
            throw new AssertionError("no pixel matches");
        }
        return new BoundingBox(left, top, right + 1, bottom + 1);
    }

    /** Intersection over union of the matching pixels and the pixels whose centres lie inside {@code box}. */
    static double iou(RgbImage image, IntPredicate matches, BoundingBox box) {
        long both = 0;
        long either = 0;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                boolean coloured = matches.test(image.rgb(x, y));
                boolean inside = x + 0.5 > box.xmin() && x + 0.5 < box.xmax() && y + 0.5 > box.ymin() && y + 0.5 < box.ymax();
                if (coloured && inside) {
                    both++;
                }
                if (coloured || inside) {
                    either++;
                }
            }
        }
        return either == 0 ? 0 : (double) both / either;
    }
}

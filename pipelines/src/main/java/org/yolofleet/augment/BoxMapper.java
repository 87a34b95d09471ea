package org.yolofleet.augment;

import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.image.Placement;

import java.util.ArrayList;
import java.util.List;

/**
 * Moves boxes with the pixels: clip to the image and the crop window in source pixels, map onto the canvas with the
 * same {@link Placement} the pixels use, mirror when the copy is flipped, and drop what is left too small.
 */
public final class BoxMapper {
    private static final double WHOLE = 1 - 1e-9;

    private BoxMapper() {
    }

    /** The boxes that survive, in canvas pixels, and how many were dropped. */
    public record MappedBoxes(List<LabelledPixelBox> kept, int dropped) {
        public MappedBoxes {
            kept = List.copyOf(kept);
            if (dropped < 0) {
                throw new IllegalArgumentException("dropped must not be negative, got " + dropped);
            }
        }
    }

    public static MappedBoxes map(List<LabelledPixelBox> boxes, int imageWidth, int imageHeight, AugmentationParameters parameters,
                                  Placement placement, BoxRules rules) {
        double left = Math.max(0, parameters.cropLeft());
        double top = Math.max(0, parameters.cropTop());
        double right = Math.min(imageWidth, parameters.cropRight());
        double bottom = Math.min(imageHeight, parameters.cropBottom());
        List<LabelledPixelBox> kept = new ArrayList<>(boxes.size());
        int dropped = 0;
        for (LabelledPixelBox labelled : boxes) {
            BoundingBox box = labelled.box();
            double visibleLeft = Math.max(box.xmin(), left);
            double visibleTop = Math.max(box.ymin(), top);
            double visibleRight = Math.min(box.xmax(), right);
            double visibleBottom = Math.min(box.ymax(), bottom);
            if (!(visibleRight > visibleLeft) || !(visibleBottom > visibleTop) || !(box.area() > 0)) {
                dropped++;
                continue;
            }
            BoundingBox visible = new BoundingBox(visibleLeft, visibleTop, visibleRight, visibleBottom);
            double visibleFraction = visible.area() / box.area();
            BoundingBox mapped = placement.toOutput(visible).clip(placement.canvasWidth(), placement.canvasHeight());
            if (parameters.flip()) {
                mapped = flip(mapped, placement.canvasWidth());
            }
            if (visibleFraction < rules.minVisibleFraction() || mapped.width() < rules.minSizePixels()
                    || mapped.height() < rules.minSizePixels()) {
                dropped++;
                continue;
            }
            kept.add(labelled.withBox(mapped, labelled.truncated() || visibleFraction < WHOLE));
        }
        return new MappedBoxes(kept, dropped);
    }

    /** The box mirrored left to right on a canvas of the given width. */
    public static BoundingBox flip(BoundingBox box, double canvasWidth) {
        return new BoundingBox(canvasWidth - box.xmax(), box.ymin(), canvasWidth - box.xmin(), box.ymax());
    }
}

package org.yolofleet.core.detect;

/**
 * An axis-aligned box given by its corners, {@code xmin <= xmax} and {@code ymin <= ymax}.
 *
 * <p>The unit is the caller's: detections from {@link RegionDecoder} are in pixels of the original image, boxes in
 * network space ({@link Letterbox#toImage}, {@link Letterbox#toNetwork}) are normalised to {@code [0, 1]} of the
 * network input. Coordinates are continuous: a box covering the first pixel column of an image spans
 * {@code x} from 0 to 1, so its width is {@code xmax - xmin}. The VOC devkit's inclusive-pixel convention
 * ({@code width = xmax - xmin + 1}) is an option of the evaluator, not of the box.
 *
 * <p>A box may lie partly or wholly outside an image (decoded boxes are not clipped); see {@link #clip}.
 */
public record BoundingBox(double xmin, double ymin, double xmax, double ymax) {
    public BoundingBox {
        if (!Double.isFinite(xmin) || !Double.isFinite(ymin) || !Double.isFinite(xmax) || !Double.isFinite(ymax)) {
            throw new IllegalArgumentException("box corners must be finite, got " + describe(xmin, ymin, xmax, ymax));
        }
        if (xmax < xmin || ymax < ymin) {
            throw new IllegalArgumentException("box needs xmin <= xmax and ymin <= ymax, got " + describe(xmin, ymin, xmax, ymax));
        }
    }

    /** The box of the given centre and size, the way YOLO predicts it. */
    public static BoundingBox fromCenter(double centerX, double centerY, double width, double height) {
        if (!(width >= 0) || !(height >= 0)) {
            throw new IllegalArgumentException("box width and height must not be negative, got " + width + " x " + height);
        }
        return new BoundingBox(centerX - width / 2, centerY - height / 2, centerX + width / 2, centerY + height / 2);
    }

    public double width() {
        return xmax - xmin;
    }

    public double height() {
        return ymax - ymin;
    }

    public double centerX() {
        return (xmin + xmax) / 2;
    }

    public double centerY() {
        return (ymin + ymax) / 2;
    }

    public double area() {
        return width() * height();
    }

    /** Whether the box covers nothing: zero width or zero height. */
    public boolean isEmpty() {
        return width() == 0 || height() == 0;
    }

    /** The area both boxes cover, 0 when they do not overlap (touching edges do not overlap). */
    public double intersectionArea(BoundingBox other) {
        return intersectionArea(xmin, ymin, xmax, ymax, other.xmin, other.ymin, other.xmax, other.ymax);
    }

    /**
     * Intersection over union, in {@code [0, 1]}; 0 when the boxes do not overlap, including when both are empty.
     */
    public double iou(BoundingBox other) {
        return iou(xmin, ymin, xmax, ymax, other.xmin, other.ymin, other.xmax, other.ymax);
    }

    /** This box restricted to {@code [0, width] x [0, height]}; a box wholly outside collapses onto the border. */
    public BoundingBox clip(double width, double height) {
        if (!(width >= 0) || !(height >= 0)) {
            throw new IllegalArgumentException("clip width and height must not be negative, got " + width + " x " + height);
        }
        return new BoundingBox(clamp(xmin, width), clamp(ymin, height), clamp(xmax, width), clamp(ymax, height));
    }

    /** This box with every x multiplied by {@code scaleX} and every y by {@code scaleY}, both positive. */
    public BoundingBox scale(double scaleX, double scaleY) {
        if (!(scaleX > 0) || !(scaleY > 0)) {
            throw new IllegalArgumentException("scale factors must be positive, got " + scaleX + " and " + scaleY);
        }
        return new BoundingBox(xmin * scaleX, ymin * scaleY, xmax * scaleX, ymax * scaleY);
    }

    /** The intersection area of two boxes given by their corners; branch-free, as it runs in NMS's inner loop. */
    static double intersectionArea(
            double aXmin, double aYmin, double aXmax, double aYmax,
            double bXmin, double bYmin, double bXmax, double bYmax) {
        double width = Math.min(aXmax, bXmax) - Math.max(aXmin, bXmin);
        double height = Math.min(aYmax, bYmax) - Math.max(aYmin, bYmin);
        return Math.max(width, 0) * Math.max(height, 0);
    }

    /** IoU of two boxes given by their corners, for the primitive-array code paths; {@link #iou(BoundingBox)}. */
    static double iou(
            double aXmin, double aYmin, double aXmax, double aYmax,
            double bXmin, double bYmin, double bXmax, double bYmax) {
        double intersection = intersectionArea(aXmin, aYmin, aXmax, aYmax, bXmin, bYmin, bXmax, bYmax);
        double union = (aXmax - aXmin) * (aYmax - aYmin) + (bXmax - bXmin) * (bYmax - bYmin) - intersection;
        return union > 0 ? intersection / union : 0;
    }

    private static double clamp(double value, double limit) {
        return Math.max(0, Math.min(value, limit));
    }

    private static String describe(double xmin, double ymin, double xmax, double ymax) {
        return "(" + xmin + ", " + ymin + ") - (" + xmax + ", " + ymax + ")";
    }
}

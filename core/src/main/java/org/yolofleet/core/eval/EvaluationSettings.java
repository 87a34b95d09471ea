package org.yolofleet.core.eval;

/**
 * How {@link VocEvaluator} matches detections.
 *
 * @param iouThreshold the IoU, in {@code (0, 1]}, at or above which a detection matches a ground truth for the VOC
 *         numbers (the devkit's {@code minoverlap}, 0.5); the COCO number always uses 0.50, 0.55, ... 0.95
 * @param plusOnePixel the VOC devkit's inclusive-pixel convention for the VOC numbers: a box from {@code xmin} to
 *         {@code xmax} is {@code xmax - xmin + 1} pixels wide; the COCO number never adds the pixel
 * @param cocoMaxDetectionsPerImage for the COCO number, only this many highest-scoring detections per image and
 *         class count (COCO's {@code maxDets}, 100)
 */
public record EvaluationSettings(double iouThreshold, boolean plusOnePixel, int cocoMaxDetectionsPerImage) {
    /** The VOC devkit's settings: IoU 0.5 with the +1 pixel convention, and COCO's 100 detections per image. */
    public static final EvaluationSettings VOC = new EvaluationSettings(0.5, true, 100);

    public EvaluationSettings {
        if (!(iouThreshold > 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("IoU threshold must be in (0, 1], got " + iouThreshold);
        }
        if (cocoMaxDetectionsPerImage < 1) {
            throw new IllegalArgumentException("COCO max detections per image must be at least 1, got " + cocoMaxDetectionsPerImage);
        }
    }

    public EvaluationSettings withIouThreshold(double iouThreshold) {
        return new EvaluationSettings(iouThreshold, plusOnePixel, cocoMaxDetectionsPerImage);
    }

    public EvaluationSettings withPlusOnePixel(boolean plusOnePixel) {
        return new EvaluationSettings(iouThreshold, plusOnePixel, cocoMaxDetectionsPerImage);
    }
}

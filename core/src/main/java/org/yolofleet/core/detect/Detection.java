package org.yolofleet.core.detect;

import static java.util.Objects.requireNonNull;

/**
 * One detected object: a class, its score and its box.
 *
 * @param classId the class index, from 0
 * @param score the confidence in {@code [0, 1]}; for YOLOv2, objectness times the class probability
 * @param box the box, in pixels of the original image when it comes from {@link RegionDecoder}
 */
public record Detection(int classId, double score, BoundingBox box) {
    public Detection {
        if (classId < 0) {
            throw new IllegalArgumentException("class id must not be negative, got " + classId);
        }
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be in [0, 1], got " + score);
        }
        requireNonNull(box, "box");
    }
}

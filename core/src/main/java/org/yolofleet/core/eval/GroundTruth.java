package org.yolofleet.core.eval;

import org.yolofleet.core.detect.BoundingBox;

import static java.util.Objects.requireNonNull;

/**
 * One labelled object of one image.
 *
 * @param imageId the image it belongs to, matched against {@link Prediction#imageId()}
 * @param classId the class index, from 0
 * @param box the object's box, in pixels of the image (VOC annotations: the inclusive pixel corners)
 * @param difficult VOC's {@code difficult} flag: not counted as a positive, and detections of it are ignored
 */
public record GroundTruth(String imageId, int classId, BoundingBox box, boolean difficult) {
    public GroundTruth {
        requireNonNull(imageId, "imageId");
        requireNonNull(box, "box");
        if (classId < 0) {
            throw new IllegalArgumentException("class id must not be negative, got " + classId);
        }
    }
}

package org.yolofleet.core.eval;

import org.yolofleet.core.detect.Detection;

import static java.util.Objects.requireNonNull;

/**
 * One detection of one image, for evaluation.
 *
 * @param imageId the image, matched against {@link GroundTruth#imageId()}
 * @param detection the class, score and box, in the same pixel space as the ground truth
 */
public record Prediction(String imageId, Detection detection) {
    public Prediction {
        requireNonNull(imageId, "imageId");
        requireNonNull(detection, "detection");
    }
}

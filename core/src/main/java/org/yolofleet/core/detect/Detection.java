package org.yolofleet.core.detect;

import java.util.List;
import java.util.Optional;

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

    /**
     * This detection with its box clipped to an image of the given size, or empty when nothing of the box is left in
     * the image: a clipped box of zero width or height (a box wholly outside, or one that only touches the border,
     * such as {@code [0, 0, 768, 0]}) is not a detection. Decoded boxes may reach beyond the image, and NMS runs on
     * them unclipped; this is the one place that decides what is reported (by {@code detect}, its annotated images and
     * the Pi agent).
     */
    public Optional<Detection> clippedTo(double imageWidth, double imageHeight) {
        BoundingBox clipped = box.clip(imageWidth, imageHeight);
        if (clipped.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Detection(classId, score, clipped));
    }

    /** The detections that {@link #clippedTo} keeps, clipped, in their order. */
    public static List<Detection> clipAll(List<Detection> detections, double imageWidth, double imageHeight) {
        return detections.stream()
                .flatMap(detection -> detection.clippedTo(imageWidth, imageHeight).stream())
                .toList();
    }
}

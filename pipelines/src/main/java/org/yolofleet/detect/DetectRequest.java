package org.yolofleet.detect;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One {@code detect} run's inputs and settings.
 *
 * @param inputs image files, directories of images (their image files, not recursively) and Hadoop URIs of either
 * @param thresholds the score and NMS thresholds
 * @param output the directory for {@value DetectRun#DETECTIONS_FILE} and the annotated images; empty: detections go to
 *               standard output and no images are drawn
 * @param maxImagePixels images declaring more pixels are refused undecoded
 */
public record DetectRequest(List<String> inputs, DetectionThresholds thresholds, Optional<String> output, long maxImagePixels) {
    /** The default of {@code prepare.image.max-pixels}. */
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 60_000_000;

    public DetectRequest {
        inputs = List.copyOf(requireNonNull(inputs, "inputs"));
        requireNonNull(thresholds, "thresholds");
        requireNonNull(output, "output");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("detect needs at least one image, directory or URI");
        }
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException("maxImagePixels must be at least 1, got " + maxImagePixels);
        }
    }
}

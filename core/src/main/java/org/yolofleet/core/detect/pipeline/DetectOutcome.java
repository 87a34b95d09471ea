package org.yolofleet.core.detect.pipeline;

import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.RgbImage;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What {@link DetectPipeline} made of one input, handed to its sink in input order: the image's detections, or why it
 * was skipped.
 *
 * @param <T> what names an image
 */
public sealed interface DetectOutcome<T> {
    /** The input's position in the run, from 0. */
    int index();

    /** The input as the caller named it. */
    T item();

    /**
     * An image that went through the network.
     *
     * @param width the image's width in pixels
     * @param height the image's height in pixels
     * @param detections by descending score, boxes in the image's pixels clipped to it (boxes that clip to nothing dropped)
     * @param image the decoded image when the pipeline keeps images ({@link PipelineSettings#keepImages()}), for drawing
     */
    record Detected<T>(int index, T item, int width, int height, List<Detection> detections, Optional<RgbImage> image)
            implements DetectOutcome<T> {
        public Detected {
            requireNonNull(item, "item");
            detections = List.copyOf(requireNonNull(detections, "detections"));
            requireNonNull(image, "image");
        }
    }

    /** An image that could not be read, decoded or preprocessed; the run went on without it. */
    record Skipped<T>(int index, T item, YoloFleetException failure) implements DetectOutcome<T> {
        public Skipped {
            requireNonNull(item, "item");
            requireNonNull(failure, "failure");
        }
    }
}

package org.yolofleet.core.detect.pipeline;

/**
 * How {@link DetectPipeline} spreads its work.
 *
 * @param decodeThreads threads that read, decode and letterbox images, at least 1
 * @param window decoded images (and finished outputs) held ahead at most, at least 1: bounds memory
 * @param keepImages whether outcomes carry the decoded image (for drawing); without it an image is dropped once
 *                   preprocessed, so a device with a small heap holds only network inputs in the window
 */
public record PipelineSettings(int decodeThreads, int window, boolean keepImages) {
    public PipelineSettings {
        if (decodeThreads < 1) {
            throw new IllegalArgumentException("decode threads must be at least 1, got " + decodeThreads);
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
    }

    /** {@code decodeThreads} decode threads with a window of twice as many images plus the forward pass's batch. */
    public static PipelineSettings of(int decodeThreads, int maxBatch, boolean keepImages) {
        return new PipelineSettings(decodeThreads, 2 * decodeThreads + Math.max(1, maxBatch), keepImages);
    }
}

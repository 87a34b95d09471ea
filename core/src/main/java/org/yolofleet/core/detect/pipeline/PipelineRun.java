package org.yolofleet.core.detect.pipeline;

/**
 * What one {@link DetectPipeline#run} did.
 *
 * @param images inputs handed to the sink
 * @param skipped of those, inputs that could not be read or decoded
 * @param batches forward passes run
 * @param elapsedNanos wall time from the first decode to the last outcome handed to the sink
 * @param forwardNanos time inside the forward pass, on the inference thread
 */
public record PipelineRun(int images, int skipped, int batches, long elapsedNanos, long forwardNanos) {
    public PipelineRun {
        if (images < 0 || skipped < 0 || skipped > images || batches < 0 || elapsedNanos < 0 || forwardNanos < 0) {
            throw new IllegalArgumentException("inconsistent pipeline run: " + images + " images, " + skipped + " skipped, "
                    + batches + " batches, " + elapsedNanos + " ns, " + forwardNanos + " ns forward");
        }
    }

    /** Images that went through the network. */
    public int detected() {
        return images - skipped;
    }
}

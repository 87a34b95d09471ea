package org.yolofleet.core.detect.pipeline;

import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * A network's forward pass as {@link DetectPipeline} calls it: up to {@link #maxBatch()} network inputs at once, one raw
 * region tensor back for each, in the same order. A runtime whose graph takes one image (the ONNX export's fixed
 * {@code [1, 3, h, w]} input) says 1; one that takes any batch (DL4J) says how many it runs together.
 */
public interface BatchForward {
    /** The most inputs {@link #forward} takes at once, at least 1. */
    int maxBatch();

    /**
     * The raw outputs of {@code inputs}, one per input, in order.
     *
     * @param inputs between 1 and {@link #maxBatch()} inputs, each {@code 3 x height x width} values, CHW
     */
    float[][] forward(float[][] inputs);

    /** A forward pass that takes one input at a time. */
    static BatchForward oneAtATime(UnaryOperator<float[]> single) {
        requireNonNull(single, "single");
        return new BatchForward() {
            @Override
            public int maxBatch() {
                return 1;
            }

            @Override
            public float[][] forward(float[][] inputs) {
                float[][] outputs = new float[inputs.length][];
                for (int index = 0; index < inputs.length; index++) {
                    outputs[index] = single.apply(inputs[index]);
                }
                return outputs;
            }
        };
    }
}

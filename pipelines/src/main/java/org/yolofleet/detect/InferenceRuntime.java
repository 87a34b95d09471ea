package org.yolofleet.detect;

/** The library that runs a {@link Detector}'s network. */
public enum InferenceRuntime {
    /** Microsoft ONNX Runtime (CPU), running a model exported by {@code OnnxExporter}: what the Raspberry Pis run. */
    ONNX_RUNTIME,
    /** Deeplearning4j, running the training network (a checkpoint, or a Darknet cfg with its weights). */
    DL4J,
    /** TensorFlow (Java), running the frozen GraphDef the publish stage exports for NCSDK 2: its faithfulness check. */
    TENSORFLOW
}

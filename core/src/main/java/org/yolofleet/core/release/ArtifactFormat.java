package org.yolofleet.core.release;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a release artifact is, by a stable lower-case name in the manifest ({@code onnx-fp32}, {@code ncs-graph}, ...). */
public enum ArtifactFormat {
    /** The ONNX model of {@code core.onnx.OnnxExporter}, float32 weights. */
    ONNX_FP32("onnx-fp32"),
    /** The same graph with float16 weights, what the Myriad chips compute in. */
    ONNX_FP16("onnx-fp16"),
    /** A TensorFlow frozen {@code GraphDef}, the input of the NCSDK and OpenVINO model optimisers. */
    TF_FROZEN_GRAPH("tf-frozen-graph"),
    /** The Darknet {@code .cfg}. */
    DARKNET_CFG("darknet-cfg"),
    /** The Darknet {@code .weights}. */
    DARKNET_WEIGHTS("darknet-weights"),
    /** An NCSDK {@code graph} file for the first Neural Compute Stick ({@code mvNCCompile}). */
    NCS_GRAPH("ncs-graph"),
    /** An OpenVINO Myriad X {@code .blob} for the NCS2 and OAK ({@code compile_tool}). */
    MYRIAD_BLOB("myriad-blob"),
    /** The {@link DecodeSpec} as its own JSON file, for host decoders. */
    DECODE_SPEC("decode-spec"),
    /** The publish report (parity, metrics, timings). */
    REPORT("report"),
    /** The model card: what the model is for, its data and its limits. */
    MODEL_CARD("model-card");

    private final String key;

    ArtifactFormat(String key) {
        this.key = key;
    }

    /** The name in a manifest. */
    public String key() {
        return key;
    }

    /** The format a manifest names; {@link IllegalArgumentException} listing the known names otherwise. */
    public static ArtifactFormat ofKey(String key) {
        for (ArtifactFormat format : values()) {
            if (format.key.equals(key)) {
                return format;
            }
        }
        throw new IllegalArgumentException("artifact format '" + key + "' is not one of "
                + Arrays.stream(values()).map(ArtifactFormat::key).collect(Collectors.joining(", ")));
    }
}

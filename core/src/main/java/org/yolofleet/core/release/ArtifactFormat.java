package org.yolofleet.core.release;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a release artifact is, by a stable lower-case name in the manifest ({@code onnx-fp32}, {@code ncs-graph}, ...).
 * A {@link #document() document} (a report, the model card) is listed, sized and hashed like every file, so it is verified,
 * but it is for people: it never has a device target, so a device choosing its model by target never picks it.
 */
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
    /** A text report for people, such as a vendor compiler's log ({@code compile-<name>.log}); a document. */
    REPORT("report"),
    /**
     * The release's one-page model card, {@code report.html}: metrics and PR curves per class, detections drawn by the
     * ONNX export, the artifacts, the parity figures, what was compiled; a document.
     */
    MODEL_CARD("model-card");

    private final String key;

    ArtifactFormat(String key) {
        this.key = key;
    }

    /** The name in a manifest. */
    public String key() {
        return key;
    }

    /** Whether files of this format are for people, not devices: a document never has a {@link DeviceTarget}. */
    public boolean document() {
        return switch (this) {
            case REPORT, MODEL_CARD -> true;
            case ONNX_FP32, ONNX_FP16, TF_FROZEN_GRAPH, DARKNET_CFG, DARKNET_WEIGHTS, NCS_GRAPH, MYRIAD_BLOB, DECODE_SPEC -> false;
        };
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

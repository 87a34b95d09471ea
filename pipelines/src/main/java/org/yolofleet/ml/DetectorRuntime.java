package org.yolofleet.ml;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which library runs {@link YoloDetector}'s network on the executors: the value of its {@code runtime} param. */
public enum DetectorRuntime {
    /**
     * ONNX Runtime, the default: an ONNX export runs as it is; a DL4J checkpoint is exported to ONNX in memory (by the
     * exporter the publish stage uses) and runs there, so executors need no ND4J workspace memory or threads.
     */
    ONNX_RUNTIME("onnxruntime"),
    /** DL4J, for a checkpoint exactly as {@code yolofleet detect checkpoint.zip} runs it. */
    DL4J("dl4j");

    private final String key;

    DetectorRuntime(String key) {
        this.key = key;
    }

    /** The param value: {@code onnxruntime} or {@code dl4j}. */
    public String key() {
        return key;
    }

    /** The runtime of a param value; {@link ErrorCode#CONFIG} naming the allowed ones for any other. */
    public static DetectorRuntime of(String key) {
        for (DetectorRuntime runtime : values()) {
            if (runtime.key.equals(key.toLowerCase(Locale.ROOT))) {
                return runtime;
            }
        }
        throw new YoloFleetException(ErrorCode.CONFIG, "YoloDetector runtime '" + key + "' is not one of "
                + Arrays.stream(values()).map(DetectorRuntime::key).collect(Collectors.joining(", ")));
    }
}

package org.yolofleet.detect;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.model.ModelCheckpoint;

import java.nio.file.Path;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/** The model files {@code detect} takes, told apart by their extension. */
public enum ModelFormat {
    /** {@code *.onnx}: an ONNX export with yolofleet metadata, run by ONNX Runtime. */
    ONNX,
    /** {@code *.zip}: a yolofleet DL4J checkpoint ({@link ModelCheckpoint}), run by DL4J. */
    DL4J_CHECKPOINT,
    /** {@code *.cfg}: a Darknet cfg, with its {@code .weights} given separately, run by DL4J. */
    DARKNET_CFG;

    /** The format of a model file by its extension; {@link ErrorCode#CONFIG} for any other. */
    public static ModelFormat of(Path file) {
        requireNonNull(file, "file");
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".onnx")) {
            return ONNX;
        }
        if (name.endsWith(".zip")) {
            return DL4J_CHECKPOINT;
        }
        if (name.endsWith(".cfg")) {
            return DARKNET_CFG;
        }
        throw new YoloFleetException(ErrorCode.CONFIG, "unknown model file '" + file + "': expected an ONNX export (*.onnx), "
                + "a DL4J checkpoint (*.zip) or a Darknet cfg (*.cfg, with --weights)");
    }

    public InferenceRuntime runtime() {
        return switch (this) {
            case ONNX -> InferenceRuntime.ONNX_RUNTIME;
            case DL4J_CHECKPOINT, DARKNET_CFG -> InferenceRuntime.DL4J;
        };
    }
}

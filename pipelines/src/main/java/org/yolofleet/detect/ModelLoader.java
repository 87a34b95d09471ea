package org.yolofleet.detect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yolofleet.core.darknet.DarknetCfgReader;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ClassNames;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.model.ModelCheckpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Opens the {@link Detector} a model file calls for: {@code *.onnx} runs in ONNX Runtime ({@link OnnxRuntimeDetector});
 * {@code *.zip} (a {@link ModelCheckpoint}) and {@code *.cfg} with its {@code .weights} run in DL4J
 * ({@link Dl4jDetector}). A missing file fails with {@link ErrorCode#NOT_FOUND}, a wrong combination (weights without a cfg,
 * a cfg without weights) with {@link ErrorCode#CONFIG}, before anything loads.
 */
public final class ModelLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    private ModelLoader() {}

    public static Detector load(ModelSource source) {
        requireNonNull(source, "source");
        ModelFormat format = source.format();
        requireFile(source.model(), "model");
        source.weights().ifPresent(weights -> requireFile(weights, "weights"));
        if (format != ModelFormat.DARKNET_CFG && source.weights().isPresent()) {
            throw new YoloFleetException(ErrorCode.CONFIG, "--weights " + source.weights().get() + " only goes with a Darknet cfg; "
                    + source.model() + " holds its own weights");
        }
        return switch (format) {
            case ONNX -> OnnxRuntimeDetector.open(source.model(), source.classNames(), Runtime.getRuntime().availableProcessors());
            case DL4J_CHECKPOINT -> Dl4jDetector.fromCheckpoint(source.model(), source.classNames());
            case DARKNET_CFG -> {
                Path weights = source.weights().orElseThrow(() -> new YoloFleetException(ErrorCode.CONFIG,
                        "a Darknet cfg needs its weights: --weights FILE.weights"));
                ModelSpec spec = DarknetCfgReader.read(source.model());
                List<String> names = source.classNames().orElseGet(() -> {
                    LOG.warn("{} names no classes and no --names was given: calling them class_0 .. class_{}",
                            source.model().getFileName(), spec.classCount() - 1);
                    return ClassNames.placeholders(spec.classCount());
                });
                yield Dl4jDetector.fromDarknet(source.model(), weights, ClassNames.check(names, spec.classCount()));
            }
        };
    }

    private static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, what + " file not found: " + file);
        }
    }
}

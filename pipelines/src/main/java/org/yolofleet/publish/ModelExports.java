package org.yolofleet.publish;

import org.yolofleet.core.darknet.DarknetCfgWriter;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.darknet.DarknetWeightsWriter;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.onnx.OnnxExportOptions;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.DecodeSpec;
import org.yolofleet.core.release.DecodeThresholds;
import org.yolofleet.core.release.DeviceTarget;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.Dl4jDetector;
import org.yolofleet.detect.OnnxRuntimeDetector;
import org.yolofleet.export.TensorFlowDetector;
import org.yolofleet.export.TensorFlowGraphExporter;
import org.yolofleet.model.DarknetWeightsExporter;
import org.yolofleet.model.ModelCheckpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A checkpoint's exports, written into one local directory: every format the fleet's tool chains take, each written by
 * walking the one {@link ModelSpec} with the checkpoint's weights (exported once as Darknet weights, which every
 * walker reads):
 * <ul>
 *   <li>{@value #ONNX_FP32}: ONNX, float32 (the CPU profile; OpenVINO's {@code compile_tool} for NCS2 and OAK);</li>
 *   <li>{@value #ONNX_FP16}: ONNX, half weights and compute, float32 input and output ({@link OnnxExportOptions.Precision}):
 *       what an NCS2 runs through OpenVINO where no {@code .blob} was compiled;</li>
 *   <li>{@value #TF_GRAPH}: TensorFlow frozen GraphDef, NHWC, for NCSDK 2's {@code mvNCCompile} (first-generation NCS);</li>
 *   <li>{@value #DARKNET_CFG} + {@value #DARKNET_WEIGHTS}: Darknet's own format;</li>
 *   <li>{@value #DECODE}: the decode spec a host decoder needs (the Pi agent, a DepthAI host script).</li>
 * </ul>
 *
 * @param directory where the files are
 * @param spec      the network
 * @param classes   its class names
 * @param decode    the decode spec written to {@value #DECODE}
 */
public record ModelExports(Path directory, ModelSpec spec, List<String> classes, DecodeSpec decode) {
    public static final String ONNX_FP32 = "model.onnx";
    public static final String ONNX_FP16 = "model-fp16.onnx";
    public static final String TF_GRAPH = "model.pb";
    public static final String DARKNET_CFG = "model.cfg";
    public static final String DARKNET_WEIGHTS = "model.weights";
    public static final String DECODE = "decode.json";

    /** One exported file: its name in the release, its format and the device it is for (none for the cfg, weights, spec). */
    public record File(String name, ArtifactFormat format, Optional<DeviceTarget> target) {
    }

    /** The files, in the order they are written and listed. */
    public static final List<File> FILES = List.of(
            new File(ONNX_FP32, ArtifactFormat.ONNX_FP32, Optional.of(DeviceTarget.CPU)),
            new File(ONNX_FP16, ArtifactFormat.ONNX_FP16, Optional.of(DeviceTarget.NCS2)),
            new File(TF_GRAPH, ArtifactFormat.TF_FROZEN_GRAPH, Optional.empty()),
            new File(DARKNET_CFG, ArtifactFormat.DARKNET_CFG, Optional.empty()),
            new File(DARKNET_WEIGHTS, ArtifactFormat.DARKNET_WEIGHTS, Optional.empty()),
            new File(DECODE, ArtifactFormat.DECODE_SPEC, Optional.empty()));

    public ModelExports {
        requireNonNull(directory, "directory");
        requireNonNull(spec, "spec");
        classes = List.copyOf(classes);
        requireNonNull(decode, "decode");
    }

    /** Writes every export of {@code model} into {@code directory}; {@code version} goes into the ONNX files' metadata. */
    public static ModelExports write(ModelCheckpoint.Contents model, String version, DecodeThresholds thresholds, Path directory) {
        ModelSpec spec = model.spec();
        DarknetWeights weights = DarknetWeightsExporter.export(model.network(), spec, 0);
        DecodeSpec decode = DecodeSpec.from(spec, model.classNames(), thresholds);
        try {
            Files.createDirectories(directory);
            Files.write(directory.resolve(ONNX_FP32), OnnxExporter.withDefaults().export(spec, weights.layers(), model.classNames(), version));
            Files.write(directory.resolve(ONNX_FP16), new OnnxExporter(OnnxExportOptions.DEFAULTS.withPrecision(OnnxExportOptions.Precision.FLOAT16))
                    .export(spec, weights.layers(), model.classNames(), version));
            new TensorFlowGraphExporter().export(spec, weights.layers(), directory.resolve(TF_GRAPH));
            DarknetCfgWriter.write(spec, directory.resolve(DARKNET_CFG));
            DarknetWeightsWriter.write(weights, spec, directory.resolve(DARKNET_WEIGHTS));
            Files.write(directory.resolve(DECODE), decode.toJson());
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot write the exports into " + directory + ": " + failure.getMessage(), failure);
        }
        return new ModelExports(directory, spec, model.classNames(), decode);
    }

    public Path path(String name) {
        return directory.resolve(name);
    }

    /** The FP32 ONNX export in ONNX Runtime. */
    public Detector onnxFp32(int threads) {
        return OnnxRuntimeDetector.open(path(ONNX_FP32), Optional.of(classes), threads);
    }

    /** The FP16 ONNX export in ONNX Runtime. */
    public Detector onnxFp16(int threads) {
        return OnnxRuntimeDetector.open(path(ONNX_FP16), Optional.of(classes), threads);
    }

    /** The frozen graph in TensorFlow. */
    public Detector tensorFlow() {
        try {
            return TensorFlowDetector.open(Files.readAllBytes(path(TF_GRAPH)), spec, classes, TF_GRAPH);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** The Darknet cfg and weights, imported back into a new DL4J network. */
    public Detector darknetReimported() {
        return Dl4jDetector.fromDarknet(path(DARKNET_CFG), path(DARKNET_WEIGHTS), classes);
    }
}

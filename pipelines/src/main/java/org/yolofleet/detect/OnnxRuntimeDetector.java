package org.yolofleet.detect;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.core.onnx.OnnxMetadata;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Runs an ONNX model exported by {@code OnnxExporter} in ONNX Runtime (CPU), the runtime the Raspberry Pis use.
 *
 * <p>Everything besides the graph comes from the file's {@code metadata_props} ({@link OnnxMetadata}): class names,
 * anchors, input size, resize mode. The graph must have one float input {@code [1, 3, height, width]} matching the
 * metadata and one output {@code [1, anchors * (5 + classes), gridHeight, gridWidth]}; anything else fails with
 * {@link ErrorCode#BAD_MODEL_SPEC} saying what was expected and found. Sessions use ORT's full graph optimisation and, unless
 * told otherwise, as many intra-op threads as the JVM sees processors. Thread-safe (ORT sessions are).
 */
public final class OnnxRuntimeDetector implements Detector {
    private static final int BATCH = 1;
    private static final int CHANNELS = 3;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String inputName;
    private final long[] inputShape;
    private final DetectorModel model;

    private OnnxRuntimeDetector(OrtEnvironment environment, OrtSession session, String source, Optional<List<String>> classNames)
            throws OrtException {
        this.environment = environment;
        this.session = session;
        OnnxMetadata metadata = OnnxMetadata.fromMap(session.getMetadata().getCustomMetadata());
        List<String> names = classNames.orElse(metadata.classes());
        if (names.size() != metadata.classes().size()) {
            throw new YoloFleetException(ErrorCode.CONFIG, source + " has " + metadata.classes().size() + " classes ("
                    + String.join(",", metadata.classes()) + "), got " + names.size() + " class names: " + String.join(",", names));
        }
        this.inputName = onlyName(session.getInputInfo(), "input", source);
        this.inputShape = new long[] {BATCH, CHANNELS, metadata.height(), metadata.width()};
        long[] declaredInput = shape(session.getInputInfo().get(inputName), "input", source);
        if (!Arrays.equals(declaredInput, inputShape)) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, source + ": input '" + inputName + "' has shape "
                    + Arrays.toString(declaredInput) + ", the metadata's input size needs " + Arrays.toString(inputShape));
        }
        String outputName = onlyName(session.getOutputInfo(), "output", source);
        long[] output = shape(session.getOutputInfo().get(outputName), "output", source);
        long channels = (long) metadata.anchors().size() * (5 + metadata.classes().size());
        if (output.length != 4 || output[0] != BATCH || output[1] != channels || output[2] < 1 || output[3] < 1) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, source + ": output '" + outputName + "' has shape "
                    + Arrays.toString(output) + ", expected [1, " + channels + ", grid height, grid width] for "
                    + metadata.anchors().size() + " anchors and " + metadata.classes().size() + " classes");
        }
        this.model = new DetectorModel(InferenceRuntime.ONNX_RUNTIME, source, names, metadata.anchors(), metadata.width(),
                metadata.height(), metadata.resizeMode(), metadata.resizeFilter(), Math.toIntExact(output[3]), Math.toIntExact(output[2]));
    }

    /** Opens a model file with the metadata's class names and one intra-op thread per processor. */
    public static OnnxRuntimeDetector open(Path file) {
        return open(file, Optional.empty(), Runtime.getRuntime().availableProcessors());
    }

    /**
     * Opens a model file.
     *
     * @param classNames names that replace the metadata's, as many as it has
     * @param threads ORT intra-op threads, at least 1
     */
    public static OnnxRuntimeDetector open(Path file, Optional<List<String>> classNames, int threads) {
        requireNonNull(file, "file");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        }
        catch (NoSuchFileException e) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, "ONNX model not found: " + file, e);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read ONNX model " + file + ": " + e.getMessage(), e);
        }
        return open(bytes, file.getFileName().toString(), classNames, threads);
    }

    /**
     * Opens a model held in memory.
     *
     * @param source names the model in messages
     */
    public static OnnxRuntimeDetector open(byte[] model, String source, Optional<List<String>> classNames, int threads) {
        requireNonNull(model, "model");
        requireNonNull(source, "source");
        requireNonNull(classNames, "classNames");
        if (threads < 1) {
            throw new IllegalArgumentException("ONNX Runtime threads must be at least 1, got " + threads);
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            session = environment.createSession(model, options);
        }
        catch (OrtException e) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, "ONNX Runtime cannot load " + source + ": " + e.getMessage(), e);
        }
        try {
            return new OnnxRuntimeDetector(environment, session, source, classNames.map(List::copyOf));
        }
        catch (OrtException | RuntimeException e) {
            closeQuietly(session, e);
            if (e instanceof YoloFleetException failure) {
                throw failure;
            }
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, "cannot read the model " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public DetectorModel model() {
        return model;
    }

    @Override
    public float[] rawOutput(float[] input) {
        model.requireInputLength(input);
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input), inputShape);
                OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            OnnxValue value = result.get(0);
            FloatBuffer output = ((OnnxTensor) value).getFloatBuffer();
            if (output.remaining() != model.outputLength()) {
                throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, model.source() + " returned " + output.remaining()
                        + " values, expected " + model.outputLength());
            }
            float[] values = new float[output.remaining()];
            output.get(values);
            return values;
        }
        catch (OrtException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "ONNX Runtime failed on " + model.source() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        }
        catch (OrtException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot close the ONNX Runtime session of " + model.source(), e);
        }
    }

    private static String onlyName(Map<String, NodeInfo> nodes, String kind, String source) {
        if (nodes.size() != 1) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, source + " has " + nodes.size() + " graph " + kind + "s " + nodes.keySet()
                    + ", a YOLOv2 export (such as " + OnnxExporter.class.getSimpleName() + "'s '" + OnnxExporter.INPUT_NAME + "' -> '"
                    + OnnxExporter.OUTPUT_NAME + "') has one");
        }
        return nodes.keySet().iterator().next();
    }

    private static long[] shape(NodeInfo node, String kind, String source) {
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, source + ": the graph " + kind + " '" + node.getName()
                    + "' is not a float tensor: " + node.getInfo());
        }
        return tensor.getShape();
    }

    private static void closeQuietly(OrtSession session, Exception failure) {
        try {
            session.close();
        }
        catch (OrtException e) {
            failure.addSuppressed(e);
        }
    }
}

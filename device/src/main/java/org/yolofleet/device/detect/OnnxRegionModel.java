package org.yolofleet.device.detect;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.core.release.DecodeSpec;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A release's ONNX model in ONNX Runtime (CPU): one network input in, the raw region tensor out, checked against the
 * manifest's {@link DecodeSpec} (input {@code [1, 3, height, width]} and output {@code [1, A * (5 + C), gridHeight,
 * gridWidth]}, both float32; the FP16 export casts inside the graph) so a release whose model and decode spec disagree
 * fails at load with {@link ErrorCode#BAD_MODEL_SPEC}, not with wrong boxes. The session loads the file in native
 * memory, off the JVM heap (a Pi's agent runs in {@code -Xmx64m}).
 */
public final class OnnxRegionModel implements AutoCloseable {
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String source;
    private final long[] inputShape;
    private final int outputLength;

    private OnnxRegionModel(OrtEnvironment environment, OrtSession session, String source, DecodeSpec spec) throws OrtException {
        this.environment = environment;
        this.session = session;
        this.source = source;
        this.inputShape = new long[] {1, DecodeSpec.CHANNELS, spec.height(), spec.width()};
        long[] outputShape = {1, spec.outputChannels(), spec.gridHeight(), spec.gridWidth()};
        requireOnly(session.getInputInfo(), "input", OnnxExporter.INPUT_NAME, inputShape);
        requireOnly(session.getOutputInfo(), "output", OnnxExporter.OUTPUT_NAME, outputShape);
        this.outputLength = Math.toIntExact(spec.outputChannels() * (long) spec.gridHeight() * spec.gridWidth());
    }

    /**
     * Loads a model file for a decode spec.
     *
     * @param threads ONNX Runtime intra-op threads, at least 1
     */
    public static OnnxRegionModel open(Path file, DecodeSpec spec, int threads) {
        requireNonNull(file, "file");
        requireNonNull(spec, "spec");
        if (threads < 1) {
            throw new YoloFleetException(ErrorCode.CONFIG, "--threads " + threads + " is out of range: at least 1");
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            session = environment.createSession(file.toString(), options);
        }
        catch (OrtException e) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, "ONNX Runtime cannot load " + file + ": " + e.getMessage(), e);
        }
        try {
            return new OnnxRegionModel(environment, session, file.getFileName().toString(), spec);
        }
        catch (OrtException | RuntimeException e) {
            try {
                session.close();
            }
            catch (OrtException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof YoloFleetException failure) {
                throw failure;
            }
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, "cannot read the graph of " + file + ": " + e.getMessage(), e);
        }
    }

    /** Floats of one network input, {@code 3 x height x width}. */
    public int inputLength() {
        return Math.toIntExact(inputShape[1] * inputShape[2] * inputShape[3]);
    }

    /**
     * The raw region tensor of one input, {@code [A * (5 + C), gridHeight, gridWidth]} flattened, before any logistic,
     * exponential or softmax: what {@link org.yolofleet.core.detect.RegionDecoder} decodes.
     *
     * @param input {@code 3 x height x width} values, RGB in {@code [0, 1]}, CHW
     */
    public float[] rawOutput(float[] input) {
        requireNonNull(input, "input");
        if (input.length != inputLength()) {
            throw new IllegalArgumentException(source + " takes " + inputLength() + " input values, got " + input.length);
        }
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input), inputShape);
                OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT_NAME, tensor))) {
            FloatBuffer output = ((OnnxTensor) result.get(0)).getFloatBuffer();
            if (output.remaining() != outputLength) {
                throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, source + " returned " + output.remaining() + " values, the decode spec needs "
                        + outputLength);
            }
            float[] values = new float[outputLength];
            output.get(values);
            return values;
        }
        catch (OrtException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "ONNX Runtime failed on " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        }
        catch (OrtException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot close the ONNX Runtime session of " + source + ": " + e.getMessage(), e);
        }
    }

    private void requireOnly(Map<String, NodeInfo> nodes, String kind, String name, long[] shape) {
        NodeInfo node = nodes.get(name);
        if (nodes.size() != 1 || node == null) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, source + " has graph " + kind + "s " + nodes.keySet()
                    + ", a release's model has one, '" + name + "'");
        }
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, source + ": graph " + kind + " '" + name + "' is not a float32 tensor: "
                    + node.getInfo());
        }
        if (!Arrays.equals(tensor.getShape(), shape)) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, source + ": graph " + kind + " '" + name + "' has shape "
                    + Arrays.toString(tensor.getShape()) + ", the manifest's decode spec needs " + Arrays.toString(shape));
        }
    }
}

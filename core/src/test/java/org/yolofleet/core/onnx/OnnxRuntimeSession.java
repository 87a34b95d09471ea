package org.yolofleet.core.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;

import java.nio.FloatBuffer;
import java.util.Map;

/** An ONNX Runtime CPU session over model bytes, for tests: one float input in, the first output out. */
final class OnnxRuntimeSession implements AutoCloseable {
    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    /** @param optimized ORT's full graph optimisation (as deployed), or none (the graph exactly as written) */
    OnnxRuntimeSession(byte[] model, boolean optimized) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(optimized ? OptLevel.ALL_OPT : OptLevel.NO_OPT);
            options.setIntraOpNumThreads(1);
            session = environment.createSession(model, options);
        }
    }

    OrtSession session() {
        return session;
    }

    /** Runs the model on one tensor of the given shape and returns the first output, flattened. */
    float[] run(String inputName, float[] input, long[] shape) throws OrtException {
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input), shape);
                OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            FloatBuffer output = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[output.remaining()];
            output.get(values);
            return values;
        }
    }

    /** The shape of a graph input or output as ORT reads it. */
    static long[] shape(NodeInfo info) {
        return ((TensorInfo) info.getInfo()).getShape();
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}

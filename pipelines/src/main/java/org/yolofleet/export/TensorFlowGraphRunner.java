package org.yolofleet.export;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Runs a frozen TensorFlow {@code GraphDef} ({@code .pb}, as {@link TensorFlowGraphExporter} writes it) in TensorFlow
 * itself (TensorFlow Java: {@code Graph.importGraphDef}, {@code Session}), so publish's faithfulness gate checks the
 * NCSDK export in a real runtime. Feeds {@value TensorFlowGraphExporter#INPUT_NAME} and fetches
 * {@value TensorFlowGraphExporter#OUTPUT_NAME}, both NHWC float32; {@link #toNhwc} and {@link #toNchw} convert from and
 * to the NCHW layout of DL4J and the ONNX export. Not thread-safe; close it to free the native graph and session.
 */
public final class TensorFlowGraphRunner implements AutoCloseable {
    private final Graph graph;
    private final Session session;
    private final long[] inputShape;

    private TensorFlowGraphRunner(Graph graph, Session session, long[] inputShape) {
        this.graph = graph;
        this.session = session;
        this.inputShape = inputShape;
    }

    /**
     * Imports the graph.
     *
     * @param source names the graph in error messages (a file name or "export of run X")
     * @throws YoloFleetException {@link ErrorCode#EXPORT_MISMATCH} when TensorFlow cannot parse or import it, or it has no
     *                            float32 {@code [1, height, width, 3]} placeholder named {@value TensorFlowGraphExporter#INPUT_NAME}
     *                            or no {@value TensorFlowGraphExporter#OUTPUT_NAME} node
     */
    public static TensorFlowGraphRunner open(byte[] graphDef, String source) {
        requireNonNull(graphDef, "graphDef");
        GraphDef definition;
        try {
            definition = GraphDef.parseFrom(graphDef);
        }
        catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new YoloFleetException(ErrorCode.EXPORT_MISMATCH, source + " is not a TensorFlow GraphDef: " + e.getMessage());
        }
        // checked before importing: TensorFlow's C API crashes the JVM on an empty GraphDef
        for (String name : List.of(TensorFlowGraphExporter.INPUT_NAME, TensorFlowGraphExporter.OUTPUT_NAME)) {
            if (definition.getNodeList().stream().noneMatch(node -> node.getName().equals(name))) {
                throw new YoloFleetException(ErrorCode.EXPORT_MISMATCH, source + " lacks the node '" + name
                        + "'; export it again with TensorFlowGraphExporter");
            }
        }
        Graph graph = new Graph();
        try {
            graph.importGraphDef(definition);
            long[] inputShape = graph.operation(TensorFlowGraphExporter.INPUT_NAME).output(0).shape().asArray();
            if (inputShape.length != 4 || inputShape[0] != 1 || inputShape[3] != 3 || inputShape[1] < 1 || inputShape[2] < 1) {
                throw new YoloFleetException(ErrorCode.EXPORT_MISMATCH, source + ": input '" + TensorFlowGraphExporter.INPUT_NAME
                        + "' has shape " + Arrays.toString(inputShape) + ", expected [1, height, width, 3]");
            }
            return new TensorFlowGraphRunner(graph, new Session(graph), inputShape);
        }
        catch (IllegalArgumentException e) {
            graph.close();
            throw new YoloFleetException(ErrorCode.EXPORT_MISMATCH, "TensorFlow cannot import " + source + ": " + e.getMessage());
        }
        catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /** {@code [1, height, width, 3]}. */
    public long[] inputShape() {
        return inputShape.clone();
    }

    /**
     * Runs the graph on one image.
     *
     * @param nhwcInput {@code height * width * 3} values, NHWC
     */
    public Output run(float[] nhwcInput) {
        long expected = inputShape[1] * inputShape[2] * inputShape[3];
        if (nhwcInput.length != expected) {
            throw new IllegalArgumentException("input has " + nhwcInput.length + " values, the graph takes " + expected
                    + " (" + Arrays.toString(inputShape) + ")");
        }
        try (TFloat32 input = TFloat32.tensorOf(Shape.of(inputShape), DataBuffers.of(nhwcInput, true, false));
                Result result = session.runner().feed(TensorFlowGraphExporter.INPUT_NAME, input).fetch(TensorFlowGraphExporter.OUTPUT_NAME).run()) {
            Tensor tensor = result.get(0);
            if (!(tensor instanceof TFloat32 output)) {
                throw new YoloFleetException(ErrorCode.EXPORT_MISMATCH, "output '" + TensorFlowGraphExporter.OUTPUT_NAME + "' is "
                        + tensor.dataType() + ", expected float32");
            }
            long[] shape = output.shape().asArray();
            float[] values = new float[Math.toIntExact(output.size())];
            FloatDataBuffer buffer = DataBuffers.of(values, false, false);
            output.copyTo(buffer);
            return new Output(shape, values);
        }
    }

    /**
     * What the graph computed.
     *
     * @param shape {@code [1, gridHeight, gridWidth, channels]} for an export
     * @param values NHWC
     */
    public record Output(long[] shape, float[] values) {
        public Output {
            shape = shape.clone();
            values = values.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public float[] values() {
            return values.clone();
        }

        /** The values as NCHW, the layout of DL4J and the ONNX export. */
        public float[] toNchw() {
            return TensorFlowGraphRunner.toNchw(values, Math.toIntExact(shape[1]), Math.toIntExact(shape[2]), Math.toIntExact(shape[3]));
        }
    }

    /** One image's {@code [channels][height][width]} values as {@code [height][width][channels]}. */
    public static float[] toNhwc(float[] nchw, int channels, int height, int width) {
        requireLength(nchw, channels, height, width);
        float[] nhwc = new float[nchw.length];
        for (int channel = 0; channel < channels; channel++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    nhwc[(y * width + x) * channels + channel] = nchw[(channel * height + y) * width + x];
                }
            }
        }
        return nhwc;
    }

    /** One image's {@code [height][width][channels]} values as {@code [channels][height][width]}. */
    public static float[] toNchw(float[] nhwc, int height, int width, int channels) {
        requireLength(nhwc, channels, height, width);
        float[] nchw = new float[nhwc.length];
        for (int channel = 0; channel < channels; channel++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    nchw[(channel * height + y) * width + x] = nhwc[(y * width + x) * channels + channel];
                }
            }
        }
        return nchw;
    }

    private static void requireLength(float[] values, int channels, int height, int width) {
        if (values.length != (long) channels * height * width) {
            throw new IllegalArgumentException(values.length + " values for " + channels + " x " + height + " x " + width);
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}

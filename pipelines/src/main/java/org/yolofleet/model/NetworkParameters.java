package org.yolofleet.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.yolofleet.core.darknet.ConvolutionalLayout;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * Reads and writes the parameters of one Darknet convolutional layer in a network built by {@link TinyYoloGraphBuilder},
 * checking that the network has them in the shapes the spec says ({@link ErrorCode#BAD_WEIGHTS} otherwise: the
 * network was built from another spec).
 */
final class NetworkParameters {
    static final String WEIGHTS = "W";
    static final String BIAS = "b";
    static final String GAMMA = "gamma";
    static final String BETA = "beta";
    static final String MEAN = "mean";
    static final String VARIANCE = "var";

    private final ComputationGraph network;

    NetworkParameters(ComputationGraph network) {
        this.network = requireNonNull(network, "network");
    }

    /** The kernel of a convolutional layer, {@code [out][in][kh][kw]} like Darknet's. */
    INDArray weights(ConvolutionalLayout layout) {
        long size = layout.layer().size();
        return parameter(layout, TinyYoloGraphBuilder.convolutionName(layout.layerIndex()), WEIGHTS,
                new long[] {layout.layer().filters(), layout.inputChannels(), size, size});
    }

    /** The bias of a layer without batch normalisation. */
    INDArray bias(ConvolutionalLayout layout) {
        return vector(layout, TinyYoloGraphBuilder.convolutionName(layout.layerIndex()), BIAS);
    }

    /** A batch-normalisation parameter: gamma, beta, mean or var. */
    INDArray batchNormalization(ConvolutionalLayout layout, String parameter) {
        return vector(layout, TinyYoloGraphBuilder.batchNormalizationName(layout.layerIndex()), parameter);
    }

    static void assign(INDArray target, float[] values) {
        target.assign(Nd4j.create(values, target.shape(), 'c'));
    }

    static float[] values(INDArray source) {
        return Nd4j.toFlattened('c', source).castTo(DataType.FLOAT).toFloatVector();
    }

    private INDArray vector(ConvolutionalLayout layout, String vertex, String parameter) {
        INDArray values = parameter(layout, vertex, parameter, null);
        if (values.length() != layout.layer().filters()) {
            throw mismatch(layout, vertex, parameter, values.shape(), "one value per filter (" + layout.layer().filters() + ")");
        }
        return values;
    }

    private INDArray parameter(ConvolutionalLayout layout, String vertex, String parameter, long[] expectedShape) {
        Layer layer = network.getLayer(vertex);
        if (layer == null || !layer.paramTable().containsKey(parameter)) {
            throw new YoloFleetException(ErrorCode.BAD_WEIGHTS, layout.describe() + ": the network has no parameter " + vertex + "/" + parameter
                    + "; it was not built from this spec");
        }
        INDArray values = layer.getParam(parameter);
        if (expectedShape != null && !Arrays.equals(values.shape(), expectedShape)) {
            throw mismatch(layout, vertex, parameter, values.shape(), Arrays.toString(expectedShape));
        }
        return values;
    }

    private static YoloFleetException mismatch(ConvolutionalLayout layout, String vertex, String parameter, long[] found, String expected) {
        return new YoloFleetException(ErrorCode.BAD_WEIGHTS, layout.describe() + ": the network's " + vertex + "/" + parameter
                + " has shape " + Arrays.toString(found) + ", the spec expects " + expected + "; the network was not built from this spec");
    }
}

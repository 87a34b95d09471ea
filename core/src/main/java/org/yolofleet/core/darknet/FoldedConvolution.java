package org.yolofleet.core.darknet;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A convolutional layer's Darknet weights with batch normalisation folded into one convolution with bias, as every
 * exporter (ONNX, TensorFlow) writes it: per filter {@code factor = scale / (sqrt(variance) + 1e-6)}, weights times
 * factor, bias {@code bias - mean * factor}, in double precision, to be rounded once to the export's precision
 * ({@link #floatWeights()} for float32; the FP16 ONNX export rounds the doubles to half). A layer without batch
 * normalisation keeps its weights and biases. Weights stay in Darknet's {@code [out][in][kernelHeight][kernelWidth]}
 * order. Arrays are copied in and out.
 */
public record FoldedConvolution(double[] weights, double[] biases) {
    /** Darknet's {@code normalize_cpu} divides by {@code sqrt(variance) + .000001f}. */
    public static final double DARKNET_STANDARD_DEVIATION_EPSILON = 0.000001f;

    public FoldedConvolution {
        weights = requireNonNull(weights, "weights").clone();
        biases = requireNonNull(biases, "biases").clone();
    }

    public static FoldedConvolution of(ConvolutionalWeights values) {
        float[] weights = values.weights();
        float[] biases = values.biases();
        if (!values.hasBatchNormalization()) {
            return new FoldedConvolution(widen(weights), widen(biases));
        }
        float[] scales = values.scales();
        float[] means = values.rollingMean();
        float[] variances = values.rollingVariance();
        int filters = biases.length;
        int weightsPerFilter = weights.length / filters;
        double[] foldedWeights = new double[weights.length];
        double[] foldedBiases = new double[filters];
        for (int filter = 0; filter < filters; filter++) {
            double factor = scales[filter] / darknetStandardDeviation(variances[filter]);
            for (int offset = filter * weightsPerFilter; offset < (filter + 1) * weightsPerFilter; offset++) {
                foldedWeights[offset] = weights[offset] * factor;
            }
            foldedBiases[filter] = biases[filter] - means[filter] * factor;
        }
        return new FoldedConvolution(foldedWeights, foldedBiases);
    }

    /** Darknet's per-filter divisor {@code sqrt(variance) + 1e-6}, in double precision. */
    public static double darknetStandardDeviation(float variance) {
        return Math.sqrt(variance) + DARKNET_STANDARD_DEVIATION_EPSILON;
    }

    /**
     * Checks that the weights fit the spec for export: one entry per convolutional layer in cfg order, each of its
     * layout, with finite, non-negative variances.
     *
     * @return an immutable copy of the list
     * @throws YoloFleetException {@link ErrorCode#BAD_WEIGHTS} naming the layer that does not fit
     */
    public static List<ConvolutionalWeights> checkExportable(ModelSpec spec, List<ConvolutionalWeights> weights) {
        List<ConvolutionalWeights> copy = List.copyOf(requireNonNull(weights, "weights"));
        List<ConvolutionalLayout> layouts = DarknetWeightsLayout.of(spec).layers();
        if (copy.size() != layouts.size()) {
            throw new YoloFleetException(ErrorCode.BAD_WEIGHTS,
                    "the spec has " + layouts.size() + " convolutional layers, got weights for " + copy.size());
        }
        for (int index = 0; index < layouts.size(); index++) {
            ConvolutionalLayout layout = layouts.get(index);
            ConvolutionalWeights values = copy.get(index);
            layout.check(values);
            float[] variances = values.rollingVariance();
            for (int filter = 0; filter < variances.length; filter++) {
                if (!(variances[filter] >= 0 && Float.isFinite(variances[filter]))) {
                    throw new YoloFleetException(ErrorCode.BAD_WEIGHTS,
                            layout.describe() + ": rolling variance of filter " + filter + " is " + variances[filter]
                                    + ", a variance is finite and not negative");
                }
            }
        }
        return copy;
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public double[] biases() {
        return biases.clone();
    }

    /** The weights rounded once to float. */
    public float[] floatWeights() {
        return narrow(weights);
    }

    /** The biases rounded once to float. */
    public float[] floatBiases() {
        return narrow(biases);
    }

    private static double[] widen(float[] values) {
        double[] wide = new double[values.length];
        for (int index = 0; index < values.length; index++) {
            wide[index] = values[index];
        }
        return wide;
    }

    private static float[] narrow(double[] values) {
        float[] narrow = new float[values.length];
        for (int index = 0; index < values.length; index++) {
            narrow[index] = (float) values[index];
        }
        return narrow;
    }
}

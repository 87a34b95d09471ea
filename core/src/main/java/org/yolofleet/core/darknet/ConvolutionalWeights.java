package org.yolofleet.core.darknet;

import java.util.Arrays;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * The values a Darknet weights file stores for one convolutional layer of {@code n} filters, in file order.
 * Arrays are copied in and out, so an instance never changes.
 *
 * @param biases {@code n} biases (with batch normalisation: the normalisation's shift, beta)
 * @param scales {@code n} batch-normalisation scales (gamma), empty without batch normalisation
 * @param rollingMean {@code n} batch-normalisation means, empty without batch normalisation
 * @param rollingVariance {@code n} batch-normalisation variances, empty without batch normalisation
 * @param weights {@code n * inputChannels * size * size} kernel values in {@code [out][in][kernelHeight][kernelWidth]}
 *                order
 */
public record ConvolutionalWeights(float[] biases, float[] scales, float[] rollingMean, float[] rollingVariance, float[] weights) {
    private static final float[] NONE = new float[0];

    /** Copies the arrays; {@code null} batch-normalisation arrays mean "no batch normalisation", like empty ones. */
    public ConvolutionalWeights {
        biases = requireNonNull(biases, "biases").clone();
        scales = scales == null ? NONE : scales.clone();
        rollingMean = rollingMean == null ? NONE : rollingMean.clone();
        rollingVariance = rollingVariance == null ? NONE : rollingVariance.clone();
        weights = requireNonNull(weights, "weights").clone();
        int filters = biases.length;
        if (filters == 0) {
            throw new IllegalArgumentException("a convolutional layer has at least one filter, got no biases");
        }
        boolean batchNormalized = scales.length > 0 || rollingMean.length > 0 || rollingVariance.length > 0;
        if (batchNormalized && (scales.length != filters || rollingMean.length != filters || rollingVariance.length != filters)) {
            throw new IllegalArgumentException("batch normalisation needs " + filters + " scales, means and variances (one per bias), got "
                    + scales.length + ", " + rollingMean.length + " and " + rollingVariance.length);
        }
        if (weights.length == 0 || weights.length % filters != 0) {
            throw new IllegalArgumentException("weights must be a positive multiple of the " + filters + " filters, got " + weights.length);
        }
    }

    public static ConvolutionalWeights withBatchNormalization(float[] biases, float[] scales, float[] rollingMean, float[] rollingVariance,
            float[] weights) {
        requireNonNull(scales, "scales");
        requireNonNull(rollingMean, "rollingMean");
        requireNonNull(rollingVariance, "rollingVariance");
        return new ConvolutionalWeights(biases, scales, rollingMean, rollingVariance, weights);
    }

    public static ConvolutionalWeights withoutBatchNormalization(float[] biases, float[] weights) {
        return new ConvolutionalWeights(biases, NONE, NONE, NONE, weights);
    }

    public int filterCount() {
        return biases.length;
    }

    public boolean hasBatchNormalization() {
        return scales.length > 0;
    }

    /** Kernel values: {@code filters * inputChannels * size * size}. */
    public int weightCount() {
        return weights.length;
    }

    /** All values stored for the layer: biases, batch-normalisation values and weights. */
    public long valueCount() {
        return (long) biases.length + scales.length + rollingMean.length + rollingVariance.length + weights.length;
    }

    @Override
    public float[] biases() {
        return biases.clone();
    }

    @Override
    public float[] scales() {
        return scales.clone();
    }

    @Override
    public float[] rollingMean() {
        return rollingMean.clone();
    }

    @Override
    public float[] rollingVariance() {
        return rollingVariance.clone();
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    /** Same values bit for bit ({@link Arrays#equals(float[], float[])}: NaNs with equal bits are equal). */
    @Override
    public boolean equals(Object other) {
        return other instanceof ConvolutionalWeights that
                && Arrays.equals(biases, that.biases)
                && Arrays.equals(scales, that.scales)
                && Arrays.equals(rollingMean, that.rollingMean)
                && Arrays.equals(rollingVariance, that.rollingVariance)
                && Arrays.equals(weights, that.weights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(biases), Arrays.hashCode(scales), Arrays.hashCode(rollingMean),
                Arrays.hashCode(rollingVariance), Arrays.hashCode(weights));
    }

    @Override
    public String toString() {
        return "ConvolutionalWeights[filters=" + filterCount() + ", batchNormalization=" + hasBatchNormalization()
                + ", weights=" + weights.length + "]";
    }
}

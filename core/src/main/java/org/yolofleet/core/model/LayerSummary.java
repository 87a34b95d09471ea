package org.yolofleet.core.model;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * One row of a {@link ModelSummary}.
 *
 * @param index the layer's position, counted from 0 as Darknet prints it
 * @param parameterCount the values a Darknet weights file stores for the layer: weights, biases and, with batch
 *                       normalisation, scales, rolling means and rolling variances (the count DL4J reports too)
 * @param flops Darknet's count of floating-point operations: {@code 2 * filters * size^2 * inputChannels * outputHeight
 *              * outputWidth} for a convolution (a multiply and an add per weight and output value), 0 for the other
 *              layers
 */
public record LayerSummary(int index, LayerSpec layer, TensorShape input, TensorShape output, long parameterCount, long flops) {
    public LayerSummary {
        requireNonNull(layer, "layer");
        requireNonNull(input, "input");
        requireNonNull(output, "output");
        if (index < 0 || parameterCount < 0 || flops < 0) {
            throw new IllegalArgumentException("index, parameter count and FLOPs must not be negative");
        }
    }

    static LayerSummary of(int index, LayerSpec layer, TensorShape input) {
        TensorShape output = layer.outputShape(input);
        return layer.accept(new LayerSpec.Visitor<>() {
            @Override
            public LayerSummary visitConvolutional(ConvolutionalLayer convolution) {
                long weights = (long) convolution.filters() * input.channels() * convolution.size() * convolution.size();
                long perFilterValues = convolution.batchNormalize() ? 4 : 1;
                long flops = 2 * weights * output.height() * output.width();
                return new LayerSummary(index, layer, input, output, weights + perFilterValues * convolution.filters(), flops);
            }

            @Override
            public LayerSummary visitMaxPool(MaxPoolLayer maxPool) {
                return new LayerSummary(index, layer, input, output, 0, 0);
            }

            @Override
            public LayerSummary visitRegion(RegionLayer region) {
                return new LayerSummary(index, layer, input, output, 0, 0);
            }
        });
    }

    /** The layer type as Darknet names its section: {@code convolutional}, {@code maxpool}, {@code region}. */
    public String type() {
        return layer.accept(new LayerSpec.Visitor<>() {
            @Override
            public String visitConvolutional(ConvolutionalLayer convolution) {
                return "convolutional";
            }

            @Override
            public String visitMaxPool(MaxPoolLayer maxPool) {
                return "maxpool";
            }

            @Override
            public String visitRegion(RegionLayer region) {
                return "region";
            }
        });
    }

    /** The layer's settings in a few words, such as {@code 16 3x3/1 bn leaky}, {@code 2x2/2} or {@code 5 anchors 20 classes}. */
    public String description() {
        return layer.accept(new LayerSpec.Visitor<>() {
            @Override
            public String visitConvolutional(ConvolutionalLayer convolution) {
                return convolution.filters() + " " + convolution.size() + "x" + convolution.size() + "/" + convolution.stride()
                        + (convolution.batchNormalize() ? " bn " : " ") + convolution.activation().name().toLowerCase(Locale.ROOT);
            }

            @Override
            public String visitMaxPool(MaxPoolLayer maxPool) {
                return maxPool.size() + "x" + maxPool.size() + "/" + maxPool.stride();
            }

            @Override
            public String visitRegion(RegionLayer region) {
                return region.anchorCount() + " anchors " + region.classes() + " classes";
            }
        });
    }
}

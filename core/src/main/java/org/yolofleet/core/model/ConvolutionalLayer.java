package org.yolofleet.core.model;

import static java.util.Objects.requireNonNull;

/**
 * Darknet's {@code [convolutional]} layer: {@code filters} square kernels of {@code size}, moved by {@code stride}.
 *
 * @param pad Darknet's {@code pad=1}: pad {@code size / 2} on every side (so a stride-1 layer keeps the size);
 *            {@code pad=0} pads nothing
 * @param batchNormalize Darknet's {@code batch_normalize=1}: batch normalisation between the convolution and the
 *                       activation, the bias then acting as the normalisation's shift
 */
public record ConvolutionalLayer(int filters, int size, int stride, boolean pad, boolean batchNormalize, Activation activation)
        implements LayerSpec {
    public ConvolutionalLayer {
        requireNonNull(activation, "activation");
        if (filters < 1) {
            throw new IllegalArgumentException("convolutional filters must be at least 1, got " + filters);
        }
        if (size < 1) {
            throw new IllegalArgumentException("convolutional size must be at least 1, got " + size);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("convolutional stride must be at least 1, got " + stride);
        }
    }

    /** Padding on each side, in pixels. */
    public int padding() {
        return pad ? size / 2 : 0;
    }

    public ConvolutionalLayer withFilters(int newFilters) {
        return new ConvolutionalLayer(newFilters, size, stride, pad, batchNormalize, activation);
    }

    @Override
    public TensorShape outputShape(TensorShape input) {
        return new TensorShape(filters, outputSize(input.height()), outputSize(input.width()));
    }

    private int outputSize(int inputSize) {
        int padded = inputSize + 2 * padding();
        if (padded < size) {
            throw new IllegalArgumentException("convolutional size " + size + " is larger than its padded input " + padded);
        }
        return (padded - size) / stride + 1;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitConvolutional(this);
    }
}

package org.yolofleet.core.model;

/**
 * Darknet's {@code [maxpool]} layer: the maximum over {@code size x size} windows moved by {@code stride}.
 *
 * <p>Darknet pads a maxpool by {@code size - 1} in total: {@link #paddingBefore()} on the left/top and
 * {@link #paddingAfter()} on the right/bottom, padded values counting as minus infinity. The output size is
 * {@code (input + size - 1 - size) / stride + 1}: size 2 stride 2 halves an even input (416 to 208) and rounds an odd
 * one up (13 to 7); size 2 stride 1 keeps the size (13 to 13) by padding one column on the right and one row at the
 * bottom only.
 */
public record MaxPoolLayer(int size, int stride) implements LayerSpec {
    public MaxPoolLayer {
        if (size < 1) {
            throw new IllegalArgumentException("maxpool size must be at least 1, got " + size);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("maxpool stride must be at least 1, got " + stride);
        }
    }

    /** Total padding per dimension, Darknet's default {@code size - 1}. */
    public int padding() {
        return size - 1;
    }

    /** Padding on the left and the top. */
    public int paddingBefore() {
        return padding() / 2;
    }

    /** Padding on the right and the bottom (at most this much is read). */
    public int paddingAfter() {
        return padding() - paddingBefore();
    }

    @Override
    public TensorShape outputShape(TensorShape input) {
        return new TensorShape(input.channels(), outputSize(input.height()), outputSize(input.width()));
    }

    private int outputSize(int inputSize) {
        return (inputSize + padding() - size) / stride + 1;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitMaxPool(this);
    }
}

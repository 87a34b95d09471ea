package org.yolofleet.core.model;

/** The shape of one image's activations between two layers: channels, height, width (CHW, as Darknet stores them). */
public record TensorShape(int channels, int height, int width) {
    public TensorShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("tensor dimensions must be positive, got " + channels + " x " + height + " x " + width);
        }
    }

    public long elementCount() {
        return (long) channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}

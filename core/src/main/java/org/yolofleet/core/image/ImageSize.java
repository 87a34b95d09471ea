package org.yolofleet.core.image;

/** A size in pixels, both sides positive. */
public record ImageSize(int width, int height) {
    public ImageSize {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("width and height must be positive, got " + width + "x" + height);
        }
    }

    public long pixels() {
        return (long) width * height;
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}

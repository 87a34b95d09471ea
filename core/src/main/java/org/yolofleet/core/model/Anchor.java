package org.yolofleet.core.model;

/**
 * A prior box of the region layer: its width and height in grid cells (Darknet's {@code anchors} values),
 * so {@code 1.08 x 1.19} at a 13 x 13 grid of a 416 x 416 input is about 35 x 38 pixels.
 */
public record Anchor(double width, double height) {
    public Anchor {
        if (!(width > 0 && Double.isFinite(width)) || !(height > 0 && Double.isFinite(height))) {
            throw new IllegalArgumentException("anchor width and height must be positive and finite, got " + width + " x " + height);
        }
    }
}

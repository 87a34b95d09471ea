package org.yolofleet.model;

import org.yolofleet.core.detect.BoundingBox;

import static java.util.Objects.requireNonNull;

/**
 * One training object: its class and its box in normalised network space, {@code [0, 1]} of the network input's width
 * and height, after the image was letterboxed or resized ({@code Letterbox.toNetwork} maps a box in image pixels there).
 */
public record LabelledNetworkBox(int classId, BoundingBox box) {
    public LabelledNetworkBox {
        requireNonNull(box, "box");
        if (classId < 0) {
            throw new IllegalArgumentException("class id must not be negative, got " + classId);
        }
    }

    /** A box given in pixels of the network-sized input ({@code networkWidth x networkHeight}). */
    public static LabelledNetworkBox ofNetworkPixels(int classId, double xmin, double ymin, double xmax, double ymax, int networkWidth, int networkHeight) {
        if (networkWidth < 1 || networkHeight < 1) {
            throw new IllegalArgumentException("network size must be positive, got " + networkWidth + " x " + networkHeight);
        }
        return new LabelledNetworkBox(classId, new BoundingBox(xmin / networkWidth, ymin / networkHeight, xmax / networkWidth, ymax / networkHeight));
    }
}

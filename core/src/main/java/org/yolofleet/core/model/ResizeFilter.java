package org.yolofleet.core.model;

import java.util.Locale;

/**
 * How pixels are resampled on their way to the network's input: a property of the model, because a network learns
 * the images its training resize produced. Recorded in the spec, the checkpoint, the Darknet cfg
 * ({@code [net] resize_filter}) and the ONNX metadata, and applied by the one image path.
 */
public enum ResizeFilter {
    /**
     * yolofleet's resampler, what its own models are trained with: bilinear when enlarging, a triangle filter as wide as
     * the reduction when shrinking, so a large photo does not alias on its way down to the input size.
     */
    AREA,
    /**
     * Darknet's {@code resize_image}: two separable bilinear passes between corner-aligned samples
     * ({@code (source - 1) / (target - 1)} apart), no anti-aliasing. Weights trained by Darknet saw their images so.
     */
    DARKNET;

    /** The name in a cfg or model metadata: {@code area}, {@code darknet}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ResizeFilter ofKey(String key) {
        for (ResizeFilter filter : values()) {
            if (filter.key().equals(key)) {
                return filter;
            }
        }
        throw new IllegalArgumentException("resize filter '" + key + "' is not one of area, darknet");
    }
}

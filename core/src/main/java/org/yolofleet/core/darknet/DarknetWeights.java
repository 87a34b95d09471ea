package org.yolofleet.core.darknet;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The contents of a Darknet {@code .weights} file: a header (format version and the number of images the network has
 * seen in training) and the values of each convolutional layer in cfg order.
 *
 * <p>The header is three little-endian int32 ({@code major}, {@code minor}, {@code revision}) followed by {@code seen}:
 * an int64 when {@code major * 10 + minor >= 2} and both are below 1000, an int32 otherwise. Darknet writes version
 * 0.2.0 (8-byte {@code seen}); older files such as the published {@code yolov2-tiny-voc.weights} carry a 4-byte
 * {@code seen}, which tools that assume 8 bytes misread by 4 bytes.
 *
 * @param layers the convolutional layers, first first; fewer than the cfg has when read with
 *               {@link DarknetWeightsReader#firstLayers(int)}
 */
public record DarknetWeights(int major, int minor, int revision, long seen, List<ConvolutionalWeights> layers) {
    /** The version Darknet writes today. */
    public static final int CURRENT_MAJOR = 0;
    public static final int CURRENT_MINOR = 2;
    public static final int CURRENT_REVISION = 0;

    private static final int VERSION_BYTES = 3 * Integer.BYTES;

    public DarknetWeights {
        layers = List.copyOf(requireNonNull(layers, "layers"));
        if (major < 0 || minor < 0 || revision < 0) {
            throw new IllegalArgumentException("version numbers must not be negative, got " + major + "." + minor + "." + revision);
        }
        if (seen < 0) {
            throw new IllegalArgumentException("seen must not be negative, got " + seen);
        }
        if (!hasLongSeen(major, minor) && seen > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("version " + major + "." + minor + "." + revision + " stores seen in 4 bytes, "
                    + seen + " does not fit");
        }
    }

    /** Weights in the version Darknet writes today (0.2.0). */
    public static DarknetWeights of(long seen, List<ConvolutionalWeights> layers) {
        return new DarknetWeights(CURRENT_MAJOR, CURRENT_MINOR, CURRENT_REVISION, seen, layers);
    }

    /** Darknet's rule: {@code seen} takes 8 bytes when {@code major * 10 + minor >= 2} and both are below 1000. */
    public static boolean hasLongSeen(int major, int minor) {
        return (long) major * 10 + minor >= 2 && major < 1000 && minor < 1000;
    }

    public boolean hasLongSeen() {
        return hasLongSeen(major, minor);
    }

    /** 20 bytes with an 8-byte {@code seen}, 16 with a 4-byte one. */
    public int headerByteCount() {
        return headerByteCount(major, minor);
    }

    public static int headerByteCount(int major, int minor) {
        return VERSION_BYTES + (hasLongSeen(major, minor) ? Long.BYTES : Integer.BYTES);
    }

    /** The same header with other layers, such as ones exported from a trained network. */
    public DarknetWeights withLayers(List<ConvolutionalWeights> newLayers) {
        return new DarknetWeights(major, minor, revision, seen, newLayers);
    }
}

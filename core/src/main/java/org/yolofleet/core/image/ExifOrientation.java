package org.yolofleet.core.image;

import java.util.Optional;

/**
 * The eight EXIF orientations (TIFF tag 274): how the stored pixels must be turned to be seen upright. Maps pixels
 * and boxes from the stored frame to the upright one.
 */
public enum ExifOrientation {
    NORMAL(1),
    MIRROR_HORIZONTAL(2),
    ROTATE_180(3),
    MIRROR_VERTICAL(4),
    TRANSPOSE(5),
    ROTATE_90_CLOCKWISE(6),
    TRANSVERSE(7),
    ROTATE_270_CLOCKWISE(8);

    private final int tagValue;

    ExifOrientation(int tagValue) {
        this.tagValue = tagValue;
    }

    /** The orientation of an EXIF tag value, or empty for values outside 1–8. */
    public static Optional<ExifOrientation> ofTagValue(int value) {
        for (ExifOrientation orientation : values()) {
            if (orientation.tagValue == value) {
                return Optional.of(orientation);
            }
        }
        return Optional.empty();
    }

    public int tagValue() {
        return tagValue;
    }

    /** Whether width and height trade places. */
    public boolean swapsAxes() {
        return switch (this) {
            case NORMAL, MIRROR_HORIZONTAL, ROTATE_180, MIRROR_VERTICAL -> false;
            case TRANSPOSE, ROTATE_90_CLOCKWISE, TRANSVERSE, ROTATE_270_CLOCKWISE -> true;
        };
    }

    /** The upright size of a stored image of this size. */
    public ImageSize uprightSize(ImageSize stored) {
        return swapsAxes() ? new ImageSize(stored.height(), stored.width()) : stored;
    }

    /** A box in the stored frame of an image of size {@code stored}, in the upright frame. */
    public PixelBox uprightBox(PixelBox box, ImageSize stored) {
        double width = stored.width();
        double height = stored.height();
        return switch (this) {
            case NORMAL -> box;
            case MIRROR_HORIZONTAL -> new PixelBox(width - box.xmax(), box.ymin(), width - box.xmin(), box.ymax());
            case ROTATE_180 -> new PixelBox(width - box.xmax(), height - box.ymax(), width - box.xmin(), height - box.ymin());
            case MIRROR_VERTICAL -> new PixelBox(box.xmin(), height - box.ymax(), box.xmax(), height - box.ymin());
            case TRANSPOSE -> new PixelBox(box.ymin(), box.xmin(), box.ymax(), box.xmax());
            case ROTATE_90_CLOCKWISE -> new PixelBox(height - box.ymax(), box.xmin(), height - box.ymin(), box.xmax());
            case TRANSVERSE -> new PixelBox(height - box.ymax(), width - box.xmax(), height - box.ymin(), width - box.xmin());
            case ROTATE_270_CLOCKWISE -> new PixelBox(box.ymin(), width - box.xmax(), box.ymax(), width - box.xmin());
        };
    }

    /** The pixels (one int each, row by row) of a stored image of size {@code stored}, turned upright. */
    public int[] uprightPixels(int[] pixels, ImageSize stored) {
        int width = stored.width();
        int height = stored.height();
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " pixels, got " + pixels.length);
        }
        if (this == NORMAL) {
            return pixels;
        }
        int uprightWidth = uprightSize(stored).width();
        int[] upright = new int[pixels.length];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                int target = switch (this) {
                    case NORMAL -> row + x;
                    case MIRROR_HORIZONTAL -> row + (width - 1 - x);
                    case ROTATE_180 -> (height - 1 - y) * width + (width - 1 - x);
                    case MIRROR_VERTICAL -> (height - 1 - y) * width + x;
                    case TRANSPOSE -> x * uprightWidth + y;
                    case ROTATE_90_CLOCKWISE -> x * uprightWidth + (height - 1 - y);
                    case TRANSVERSE -> (width - 1 - x) * uprightWidth + (height - 1 - y);
                    case ROTATE_270_CLOCKWISE -> (width - 1 - x) * uprightWidth + y;
                };
                upright[target] = pixels[row + x];
            }
        }
        return upright;
    }
}

package org.yolofleet.dataset;

import static java.util.Objects.requireNonNull;

/**
 * One validated object, in pixels of the normalised (orientation-applied) image: {@code 0 <= xmin < xmax <= width},
 * {@code 0 <= ymin < ymax <= height}. Coordinates are the box edges as annotated (VOC's 1-based convention is not shifted).
 */
public record PreparedObject(int classId, String className, double xmin, double ymin, double xmax, double ymax,
                             boolean difficult, boolean truncated) {
    public PreparedObject {
        requireNonNull(className, "className");
        if (classId < 0) {
            throw new IllegalArgumentException("classId must be >= 0, got " + classId);
        }
        if (!(xmin < xmax && ymin < ymax)) {
            throw new IllegalArgumentException("box must have xmin < xmax and ymin < ymax, got (" + xmin + ", " + ymin + ", "
                    + xmax + ", " + ymax + ")");
        }
    }

    public double width() {
        return xmax - xmin;
    }

    public double height() {
        return ymax - ymin;
    }
}

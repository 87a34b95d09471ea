package org.yolofleet.core.image;

/** A box by its edges in pixel coordinates ({@code x} to the right, {@code y} down, the origin at the top-left corner). */
public record PixelBox(double xmin, double ymin, double xmax, double ymax) {
    public double width() {
        return xmax - xmin;
    }

    public double height() {
        return ymax - ymin;
    }

    @Override
    public String toString() {
        return "(" + format(xmin) + ", " + format(ymin) + ", " + format(xmax) + ", " + format(ymax) + ")";
    }

    public static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}

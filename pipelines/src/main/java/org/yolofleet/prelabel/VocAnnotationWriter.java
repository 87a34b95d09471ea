package org.yolofleet.prelabel;

import org.yolofleet.core.image.ImageSize;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Writes one Pascal VOC annotation for a pre-labelled image, as the labelling tools read it: LabelImg (which keeps the
 * review state in the root's {@code verified} attribute) and CVAT's VOC import (which reads {@code <object>}s and ignores
 * the rest). The file says twice that no person checked it: {@code <annotation verified="no">} and
 * {@code <verified>no</verified>}. Each object has its name, pose {@code Unspecified}, truncated and difficult 0, and its
 * box in VOC's 1-based integer pixels ({@link Box#of}); the detector's score is an XML comment in the object, which
 * every reader skips. Text is escaped, so a class name such as {@code "a<b & c"} survives.
 */
public final class VocAnnotationWriter {
    private VocAnnotationWriter() {}

    /**
     * One object as written.
     *
     * @param name  the class name
     * @param score the detector's score, kept as a comment
     */
    public record Box(String name, double score, int xmin, int ymin, int xmax, int ymax) {
        public Box {
            requireNonNull(name, "name");
        }

        /**
         * A detection's box (continuous pixel edges, 0 at the image's left/top border) in VOC's 1-based pixel indices:
         * {@code xmin = round(x0) + 1}, {@code xmax = round(x1)} (and so for y), within {@code [1, width]} and
         * {@code [1, height]}; pixel {@code i} (1-based) spans {@code [i - 1, i)}.
         */
        public static Box of(String name, double score, double x0, double y0, double x1, double y1, ImageSize image) {
            return new Box(name, score, index(Math.round(x0) + 1, image.width()), index(Math.round(y0) + 1, image.height()),
                    index(Math.round(x1), image.width()), index(Math.round(y1), image.height()));
        }

        /**
         * At least {@code pixels} wide and high, measured as {@code prepare} measures a written box ({@code xmax - xmin}):
         * with {@code prepare}'s minimum box size, a box it does not reject as too small.
         */
        public boolean atLeast(int pixels) {
            return xmax - xmin >= pixels && ymax - ymin >= pixels;
        }

        private static int index(long value, int limit) {
            return (int) Math.max(1, Math.min(limit, value));
        }
    }

    /**
     * @param folder   {@code <folder>}: the images' folder name ({@code JPEGImages})
     * @param filename {@code <filename>}: the image file's name
     * @param size     the upright image's size
     * @param depth    colour channels, 3 for RGB
     */
    public static byte[] write(String folder, String filename, ImageSize size, int depth, List<Box> boxes) {
        StringBuilder xml = new StringBuilder(512 + 256 * boxes.size());
        xml.append("<annotation verified=\"no\">\n");
        element(xml, 1, "folder", folder);
        element(xml, 1, "filename", filename);
        xml.append("\t<source>\n");
        element(xml, 2, "database", "Unknown");
        xml.append("\t</source>\n");
        xml.append("\t<size>\n");
        element(xml, 2, "width", Integer.toString(size.width()));
        element(xml, 2, "height", Integer.toString(size.height()));
        element(xml, 2, "depth", Integer.toString(depth));
        xml.append("\t</size>\n");
        element(xml, 1, "segmented", "0");
        element(xml, 1, "verified", "no");
        for (Box box : boxes) {
            xml.append("\t<object>\n");
            xml.append("\t\t<!-- score ").append(String.format(Locale.ROOT, "%.4f", box.score())).append(" -->\n");
            element(xml, 2, "name", box.name());
            element(xml, 2, "pose", "Unspecified");
            element(xml, 2, "truncated", "0");
            element(xml, 2, "difficult", "0");
            xml.append("\t\t<bndbox>\n");
            element(xml, 3, "xmin", Integer.toString(box.xmin()));
            element(xml, 3, "ymin", Integer.toString(box.ymin()));
            element(xml, 3, "xmax", Integer.toString(box.xmax()));
            element(xml, 3, "ymax", Integer.toString(box.ymax()));
            xml.append("\t\t</bndbox>\n");
            xml.append("\t</object>\n");
        }
        xml.append("</annotation>\n");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void element(StringBuilder xml, int depth, String name, String text) {
        xml.append("\t".repeat(depth)).append('<').append(name).append('>').append(escape(text)).append("</").append(name).append(">\n");
    }

    /** Text content escaped for XML 1.0; characters XML cannot hold (controls) become U+FFFD. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        text.codePoints().forEach(point -> {
            switch (point) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> {
                    boolean allowed = point == 0x9 || point == 0xA || point == 0xD || (point >= 0x20 && point <= 0xD7FF)
                            || (point >= 0xE000 && point <= 0xFFFD) || point >= 0x10000;
                    escaped.appendCodePoint(allowed ? point : 0xFFFD);
                }
            }
        });
        return escaped.toString();
    }
}

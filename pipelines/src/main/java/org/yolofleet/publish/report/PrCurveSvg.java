package org.yolofleet.publish.report;

import org.yolofleet.core.eval.PrecisionRecallCurve;

import java.util.Locale;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * One class's precision/recall curve as a small inline SVG, for the model card: recall on x, precision on y, both
 * {@code [0, 1]}; the filled area is the precision envelope whose area is the VOC2010+ AP, the line the raw precision
 * after each ranked detection. A curve of more than {@value #MAXIMUM_POINTS} points is thinned for the line, and the
 * envelope's steps to half a pixel, so a class with thousands of detections stays a few kilobytes. Self-contained: no
 * script, no font file, no external reference.
 */
public final class PrCurveSvg {
    static final int WIDTH = 220;
    static final int HEIGHT = 170;
    static final int MAXIMUM_POINTS = 300;
    static final double STEP_PIXELS = 0.5;
    static final int LEFT = 34;
    static final int RIGHT = 8;
    static final int TOP = 22;
    static final int BOTTOM = 26;

    private PrCurveSvg() {}

    /**
     * The SVG of {@code curve}, titled with the class name and its AP.
     *
     * @param positives the class's positives on the val split; a class without any has no curve and says so
     */
    public static String render(String className, PrecisionRecallCurve curve, OptionalDouble averagePrecision, int positives) {
        requireNonNull(className, "className");
        requireNonNull(curve, "curve");
        requireNonNull(averagePrecision, "averagePrecision");
        StringBuilder svg = new StringBuilder(4096);
        String name = HtmlText.escape(className);
        svg.append(String.format(Locale.ROOT, "<svg class=\"pr\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " role=\"img\" aria-label=\"precision/recall curve of %s\">", WIDTH, HEIGHT, WIDTH, HEIGHT, name));
        svg.append("<title>precision/recall curve of ").append(name).append("</title>");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\" font-size=\"12\" font-family=\"sans-serif\" font-weight=\"bold\">%s</text>", LEFT, name));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\" font-size=\"11\" font-family=\"sans-serif\" text-anchor=\"end\">%s</text>",
                WIDTH - RIGHT, averagePrecision.isPresent() ? String.format(Locale.ROOT, "AP %.3f", averagePrecision.getAsDouble()) : "AP n/a"));
        axes(svg);
        if (positives == 0) {
            message(svg, "no positives in the val split");
        } else if (curve.size() == 0) {
            message(svg, "no detections");
        } else {
            envelope(svg, curve);
            line(svg, curve);
        }
        return svg.append("</svg>").toString();
    }

    private static void axes(StringBuilder svg) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" stroke=\"#999\"/>", LEFT, TOP,
                WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM));
        for (double tick : new double[] {0, 0.5, 1}) {
            String label = tick == 0.5 ? "0.5" : String.valueOf((int) tick);
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" font-family=\"sans-serif\" text-anchor=\"middle\">%s</text>",
                    x(tick), HEIGHT - BOTTOM + 11, label));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"9\" font-family=\"sans-serif\" text-anchor=\"end\">%s</text>",
                    LEFT - 3, y(tick) + 3, label));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" font-family=\"sans-serif\" text-anchor=\"middle\">recall</text>",
                x(0.5), HEIGHT - 3));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%.1f\" font-size=\"10\" font-family=\"sans-serif\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 10 %.1f)\">precision</text>", y(0.5), y(0.5)));
    }

    private static void message(StringBuilder svg, String text) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" font-family=\"sans-serif\" fill=\"#666\""
                + " text-anchor=\"middle\">%s</text>", x(0.5), y(0.5), text));
    }

    /**
     * The VOC2010+ envelope, a step path whose area is the AP: height max(precision at recall ≥ r) from recall r_{i-1}
     * to r_i. Steps narrower than {@value #STEP_PIXELS} px are merged into the next one at the highest of their heights,
     * so a curve of thousands of points stays a few kilobytes and the area stays the AP to within that width.
     */
    private static void envelope(StringBuilder svg, PrecisionRecallCurve curve) {
        double[] recall = curve.recall();
        double[] precision = curve.precision();
        double[] envelope = new double[precision.length];
        double best = 0;
        for (int index = precision.length - 1; index >= 0; index--) {
            best = Math.max(best, precision[index]);
            envelope[index] = best;
        }
        StringBuilder path = new StringBuilder(String.format(Locale.ROOT, "M%.1f,%.1f", x(0), y(0)));
        double previousRecall = 0;
        double drawnX = x(0);
        double pendingHeight = -1;
        for (int index = 0; index < recall.length; index++) {
            if (recall[index] <= previousRecall) {
                continue;
            }
            previousRecall = recall[index];
            pendingHeight = Math.max(pendingHeight, envelope[index]);
            boolean last = recall[index] >= recall[recall.length - 1];
            if (x(recall[index]) - drawnX >= STEP_PIXELS || last) {
                drawnX = x(recall[index]);
                path.append(String.format(Locale.ROOT, "V%.1fH%.1f", y(pendingHeight), drawnX));
                pendingHeight = -1;
            }
        }
        path.append(String.format(Locale.ROOT, "V%.1fZ", y(0)));
        svg.append("<path class=\"envelope\" d=\"").append(path).append("\" fill=\"#4a90d9\" fill-opacity=\"0.25\" stroke=\"none\"/>");
    }

    private static void line(StringBuilder svg, PrecisionRecallCurve curve) {
        double[] recall = curve.recall();
        double[] precision = curve.precision();
        int step = Math.max(1, (recall.length + MAXIMUM_POINTS - 1) / MAXIMUM_POINTS);
        StringBuilder points = new StringBuilder();
        for (int index = 0; index < recall.length; index += step) {
            point(points, recall[index], precision[index]);
        }
        if ((recall.length - 1) % step != 0) {
            point(points, recall[recall.length - 1], precision[precision.length - 1]);
        }
        svg.append("<polyline class=\"curve\" points=\"").append(points.toString().strip())
                .append("\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.5\"/>");
    }

    private static void point(StringBuilder points, double recall, double precision) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(recall), y(precision)));
    }

    private static double x(double recall) {
        return LEFT + recall * (WIDTH - LEFT - RIGHT);
    }

    private static double y(double precision) {
        return HEIGHT - BOTTOM - precision * (HEIGHT - TOP - BOTTOM);
    }
}

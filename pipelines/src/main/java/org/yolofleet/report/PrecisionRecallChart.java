package org.yolofleet.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.yolofleet.core.eval.AveragePrecisionMethod;
import org.yolofleet.core.eval.ClassEvaluation;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.eval.PrecisionRecallCurve;

import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * The precision/recall curve of every class of an {@link Evaluation}, one line per class in the class's report colour
 * (dashed once the palette repeats), with the class's AP in its legend entry and the mAP in the title. Both axes are
 * fixed to {@code [0, 1]}, so checkpoints compare at a glance. A class without ground truth has no curve and no AP;
 * the title names it instead. The chart grows taller with the number of classes so that the legend fits.
 *
 * <pre>{@code
 * byte[] png = new PrecisionRecallChart("val, epoch 3", evaluation, classNames, AveragePrecisionMethod.VOC2010_AREA).png();
 * }</pre>
 *
 * @param heading what was evaluated (split, epoch); the title adds the IoU threshold and the mAP
 * @param classNames names by class id; a class beyond the list is called "class N"
 */
public record PrecisionRecallChart(String heading, Evaluation evaluation, List<String> classNames, AveragePrecisionMethod method) {
    static final int WIDTH = 900;
    static final int MINIMUM_HEIGHT = 600;
    private static final int LEGEND_LINE_HEIGHT = 20;
    /** Beyond this many, the title counts the classes without ground truth instead of naming them (it has one line). */
    private static final int NAMED_ABSENT_CLASSES = 4;

    /** One class's line: recall and precision of the ranked detections, from recall 0 on. */
    record ClassCurve(int classId, String legend, double[] recall, double[] precision) {
        ClassCurve {
            requireNonNull(legend, "legend");
            if (recall.length != precision.length || recall.length == 0) {
                throw new IllegalArgumentException("class " + classId + " needs equally many recall and precision values, at least one");
            }
        }
    }

    public PrecisionRecallChart {
        requireNonNull(heading, "heading");
        requireNonNull(evaluation, "evaluation");
        classNames = List.copyOf(classNames);
        requireNonNull(method, "method");
    }

    /**
     * The lines to draw, one per class with ground truth, in class order. A curve starts at recall 0 with its first
     * precision (as the AP computation reads it); a class with ground truth but no detection is the single point
     * (0, 0), its AP 0.
     */
    List<ClassCurve> curves() {
        List<ClassCurve> curves = new ArrayList<>();
        for (ClassEvaluation evaluated : evaluation.classes()) {
            OptionalDouble averagePrecision = evaluated.averagePrecision(method);
            if (averagePrecision.isEmpty()) {
                continue;
            }
            PrecisionRecallCurve curve = evaluated.curve();
            double[] recall = new double[curve.size() + 1];
            double[] precision = new double[curve.size() + 1];
            if (curve.size() > 0) {
                System.arraycopy(curve.recall(), 0, recall, 1, curve.size());
                System.arraycopy(curve.precision(), 0, precision, 1, curve.size());
                precision[0] = precision[1];
            }
            String legend = String.format(Locale.ROOT, "%s  AP %.3f", name(evaluated.classId()), averagePrecision.getAsDouble());
            curves.add(new ClassCurve(evaluated.classId(), legend, recall, precision));
        }
        return List.copyOf(curves);
    }

    /** The heading, the IoU threshold, the mAP, and the classes that have no curve because they have no ground truth. */
    String title() {
        OptionalDouble meanAveragePrecision = evaluation.meanAveragePrecision(method);
        String title = String.format(Locale.ROOT, "precision/recall at IoU %.2f, %s: mAP %s (%s)", evaluation.settings().iouThreshold(), heading,
                meanAveragePrecision.isPresent() ? String.format(Locale.ROOT, "%.3f", meanAveragePrecision.getAsDouble()) : "undefined", method.label());
        List<Integer> absent = evaluation.classesWithoutGroundTruth();
        if (absent.isEmpty()) {
            return title;
        }
        return title + (absent.size() <= NAMED_ABSENT_CLASSES
                ? "; no ground truth: " + String.join(", ", absent.stream().map(this::name).toList())
                : "; " + absent.size() + " classes without ground truth");
    }

    XYChart chart() {
        List<ClassCurve> curves = curves();
        XYChart chart = new XYChart(WIDTH, Math.max(MINIMUM_HEIGHT, 160 + curves.size() * LEGEND_LINE_HEIGHT));
        chart.setTitle(title());
        chart.setXAxisTitle("recall");
        chart.setYAxisTitle("precision");
        XYStyler styler = ChartStyle.apply(chart.getStyler());
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        styler.setXAxisMin(0.0);
        styler.setXAxisMax(1.0);
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(1.05);
        styler.setXAxisDecimalPattern("0.0");
        styler.setYAxisDecimalPattern("0.0");
        for (ClassCurve curve : curves) {
            XYSeries series = chart.addSeries(curve.legend(), curve.recall(), curve.precision());
            series.setLineColor(ChartStyle.color(curve.classId()));
            series.setMarkerColor(ChartStyle.color(curve.classId()));
            series.setMarker(curve.recall().length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            series.setLineStyle(curve.classId() < ChartStyle.colorCount()
                    ? new BasicStroke(2f)
                    : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
        }
        return chart;
    }

    /** The chart as PNG bytes, {@value #WIDTH} pixels wide and at least {@value #MINIMUM_HEIGHT} tall. */
    public byte[] png() {
        return ChartStyle.png(chart());
    }

    private String name(int classId) {
        return classId < classNames.size() ? classNames.get(classId) : "class " + classId;
    }
}

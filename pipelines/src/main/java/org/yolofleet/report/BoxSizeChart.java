package org.yolofleet.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Circle;
import org.knowm.xchart.style.markers.Marker;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Box widths against heights in grid cells of the model input (what the anchors are fitted to), one translucent
 * point colour per class so that dense clusters stay readable, and the anchors on top as large black diamonds with
 * one legend entry (their values are in summary.txt, not written beside them, where they would overlap). Both axes
 * share one range from 0, so a box's shape reads true.
 *
 * @param classes the class names in class order; the colour of a class is its place here
 * @param boxes the sample of boxes; a box whose class is not in {@code classes} is drawn after them, in a colour of its own
 * @param anchors the anchors as {width, height} in grid cells
 * @param anchorsLegend the anchors' legend entry, e.g. "anchors (k-means)"
 */
public record BoxSizeChart(List<String> classes, List<Box> boxes, List<double[]> anchors, String anchorsLegend) {
    static final int WIDTH = 780;
    static final int HEIGHT = 620;
    /** A class's points: the colour at 40 % opacity, so overlap shows as depth. */
    private static final int POINT_ALPHA = 102;
    private static final int ANCHOR_MARKER_SIZE = 16;

    /** One box of the sample: its class and size in grid cells. */
    public record Box(String className, double width, double height) {
        public Box {
            requireNonNull(className, "className");
        }
    }

    /** The points of one class as XChart draws them. */
    record ClassPoints(String legend, int colorIndex, double[] widths, double[] heights) {
        ClassPoints {
            requireNonNull(legend, "legend");
        }
    }

    public BoxSizeChart {
        classes = List.copyOf(classes);
        boxes = List.copyOf(boxes);
        anchors = anchors.stream().map(double[]::clone).toList();
        requireNonNull(anchorsLegend, "anchorsLegend");
    }

    /**
     * One entry per class that has boxes in the sample, in class order, then the classes not in {@link #classes} in
     * order of appearance; each legend entry gives the class's box count.
     */
    List<ClassPoints> classPoints() {
        Map<String, List<Box>> byClass = new LinkedHashMap<>();
        classes.forEach(name -> byClass.put(name, new ArrayList<>()));
        boxes.forEach(box -> byClass.computeIfAbsent(box.className(), name -> new ArrayList<>()).add(box));
        List<ClassPoints> points = new ArrayList<>();
        int colorIndex = 0;
        for (Map.Entry<String, List<Box>> entry : byClass.entrySet()) {
            List<Box> ofClass = entry.getValue();
            if (!ofClass.isEmpty()) {
                points.add(new ClassPoints(String.format(Locale.ROOT, "%s (%,d)", entry.getKey(), ofClass.size()), colorIndex,
                        ofClass.stream().mapToDouble(Box::width).toArray(), ofClass.stream().mapToDouble(Box::height).toArray()));
            }
            colorIndex++;
        }
        return List.copyOf(points);
    }

    /** The upper end of both axes: 5 % past the largest width, height or anchor side, at least one cell. */
    double axisMaximum() {
        double maximum = 1;
        for (Box box : boxes) {
            maximum = Math.max(maximum, Math.max(box.width(), box.height()));
        }
        for (double[] anchor : anchors) {
            maximum = Math.max(maximum, Math.max(anchor[0], anchor[1]));
        }
        return maximum * 1.05;
    }

    XYChart chart() {
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(String.format(Locale.ROOT, "box sizes (%,d boxes) and anchors", boxes.size()));
        chart.setXAxisTitle("box width (grid cells of 32 px at the model input)");
        chart.setYAxisTitle("box height (grid cells of 32 px)");
        XYStyler styler = ChartStyle.apply(chart.getStyler());
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        styler.setMarkerSize(5);
        double maximum = axisMaximum();
        styler.setXAxisMin(0.0);
        styler.setXAxisMax(maximum);
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(maximum);
        styler.setXAxisDecimalPattern("0.#");
        styler.setYAxisDecimalPattern("0.#");
        for (ClassPoints points : classPoints()) {
            Color color = ChartStyle.color(points.colorIndex());
            XYSeries series = chart.addSeries(points.legend(), points.widths(), points.heights());
            series.setMarker(new Circle());
            series.setMarkerColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), POINT_ALPHA));
        }
        if (!anchors.isEmpty()) {
            XYSeries series = chart.addSeries(anchorsLegend,
                    anchors.stream().mapToDouble(anchor -> anchor[0]).toArray(), anchors.stream().mapToDouble(anchor -> anchor[1]).toArray());
            series.setMarker(new AnchorMarker());
            series.setMarkerColor(Color.BLACK);
        }
        return chart;
    }

    /** The chart as PNG bytes, {@value #WIDTH} × {@value #HEIGHT} pixels. */
    public byte[] png() {
        return ChartStyle.png(chart());
    }

    /**
     * A diamond of {@value #ANCHOR_MARKER_SIZE} pixels whatever the chart's marker size (XChart has one size per chart),
     * in the series colour with a white rim, so an anchor stands out on a dense cluster of its own boxes.
     */
    static final class AnchorMarker extends Marker {
        @Override
        public void paint(Graphics2D graphics, double x, double y, int markerSize) {
            double half = ANCHOR_MARKER_SIZE / 2.0;
            Path2D.Double diamond = new Path2D.Double();
            diamond.moveTo(x, y - half);
            diamond.lineTo(x + half, y);
            diamond.lineTo(x, y + half);
            diamond.lineTo(x - half, y);
            diamond.closePath();
            graphics.fill(diamond);
            Color fill = graphics.getColor();
            graphics.setStroke(new BasicStroke(1.5f));
            graphics.setColor(Color.WHITE);
            graphics.draw(diamond);
            graphics.setColor(fill);
        }
    }
}

package org.yolofleet.report;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Objects per class of a prepared dataset as stacked bars, train below val, so a class that is rare (or missing from
 * val) shows before training does. The legend gives each split's total. The chart widens with the number of classes,
 * names every one of them, and tilts the names once they would collide.
 *
 * @param classes the class names in class order: one bar each, including classes with no objects
 * @param train objects per class name in the train split; a missing name counts 0
 * @param val objects per class name in the val split; a missing name counts 0
 */
public record ClassHistogramChart(List<String> classes, Map<String, Long> train, Map<String, Long> val) {
    static final int HEIGHT = 460;
    private static final int MINIMUM_WIDTH = 640;
    private static final int WIDTH_PER_CLASS = 48;
    /** Up to this many classes the names fit side by side under the bars. */
    private static final int UPRIGHT_NAMES = 10;

    /** One stacked layer: a split's legend entry and its count per class, in class order. */
    record Layer(String legend, List<Long> counts) {
        Layer {
            requireNonNull(legend, "legend");
            counts = List.copyOf(counts);
        }
    }

    public ClassHistogramChart {
        classes = List.copyOf(classes);
        train = Map.copyOf(train);
        val = Map.copyOf(val);
    }

    /** The two layers, train then val, with one count per class. */
    List<Layer> layers() {
        return List.of(layer("train", train), layer("val", val));
    }

    int width() {
        return Math.max(MINIMUM_WIDTH, 160 + classes.size() * WIDTH_PER_CLASS);
    }

    CategoryChart chart() {
        CategoryChart chart = new CategoryChart(width(), HEIGHT);
        chart.setTitle("objects per class (train + val)");
        chart.setXAxisTitle("class");
        chart.setYAxisTitle("objects");
        CategoryStyler styler = ChartStyle.apply(chart.getStyler());
        styler.setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Bar);
        styler.setStacked(true);
        styler.setLabelsVisible(false);
        styler.setAvailableSpaceFill(0.7);
        styler.setYAxisMin(0.0);
        styler.setYAxisDecimalPattern("#,##0");
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setXAxisMaxLabelCount(Math.max(1, classes.size()));
        if (classes.size() > UPRIGHT_NAMES) {
            styler.setXAxisLabelRotation(45);
        }
        if (classes.isEmpty()) {
            return chart;
        }
        for (Layer layer : layers()) {
            chart.addSeries(layer.legend(), classes, layer.counts());
        }
        return chart;
    }

    /** The chart as PNG bytes: {@value #HEIGHT} pixels tall, wide enough for every class. */
    public byte[] png() {
        return ChartStyle.png(chart());
    }

    private Layer layer(String split, Map<String, Long> counts) {
        List<Long> perClass = classes.stream().map(name -> counts.getOrDefault(name, 0L)).toList();
        long total = perClass.stream().mapToLong(Long::longValue).sum();
        return new Layer(String.format(Locale.ROOT, "%s (%,d objects)", split, total), perClass);
    }
}

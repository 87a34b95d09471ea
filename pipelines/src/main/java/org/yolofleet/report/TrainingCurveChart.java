package org.yolofleet.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A quantity of a training run over its epochs (train loss; val mAP by three methods), one line per curve with a
 * marker on every epoch so that a run of one or two epochs still shows its points. A non-finite value (a diverged
 * loss, an mAP that could not be computed) leaves a gap in its line rather than stretching the axis to infinity.
 * The y axis is fixed to {@code [0, 1]} for quantities that live there (mAP), so runs compare at a glance; otherwise
 * it follows the data.
 */
public record TrainingCurveChart(String title, String valueAxisTitle, List<Curve> curves, boolean unitRange) {
    public static final String EPOCH_AXIS_TITLE = "epoch";

    /** One named line: the value at each epoch; {@code epochs} and {@code values} have the same length. */
    public record Curve(String name, double[] epochs, double[] values) {
        public Curve {
            requireNonNull(name, "name");
            epochs = epochs.clone();
            values = values.clone();
            if (epochs.length != values.length) {
                throw new IllegalArgumentException("curve " + name + " has " + epochs.length + " epochs but " + values.length + " values");
            }
        }

        @Override
        public double[] epochs() {
            return epochs.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        /** The values as drawn: every non-finite value becomes NaN, which XChart draws as a gap. */
        double[] drawnValues() {
            double[] drawn = values.clone();
            for (int index = 0; index < drawn.length; index++) {
                if (!Double.isFinite(drawn[index])) {
                    drawn[index] = Double.NaN;
                }
            }
            return drawn;
        }

        boolean hasFiniteValue() {
            for (double value : values) {
                if (Double.isFinite(value)) {
                    return true;
                }
            }
            return false;
        }
    }

    public TrainingCurveChart {
        requireNonNull(title, "title");
        requireNonNull(valueAxisTitle, "valueAxisTitle");
        curves = List.copyOf(curves);
    }

    /**
     * The curves XChart is given, each one a legend entry: those with at least one finite value (a curve of NaNs
     * has no range to draw and would leave the axes undefined).
     */
    List<Curve> drawnCurves() {
        return curves.stream().filter(Curve::hasFiniteValue).toList();
    }

    XYChart chart(int width, int height) {
        XYChart chart = new XYChart(width, height);
        chart.setTitle(title);
        chart.setXAxisTitle(EPOCH_AXIS_TITLE);
        chart.setYAxisTitle(valueAxisTitle);
        XYStyler styler = ChartStyle.apply(chart.getStyler());
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        styler.setMarkerSize(6);
        styler.setXAxisDecimalPattern("0.#");
        if (unitRange) {
            styler.setYAxisMin(0.0);
            styler.setYAxisMax(1.0);
            styler.setYAxisDecimalPattern("0.0");
        }
        for (Curve curve : drawnCurves()) {
            XYSeries series = chart.addSeries(curve.name(), curve.epochs(), curve.drawnValues());
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** The chart as PNG bytes of the given size. */
    public byte[] png(int width, int height) {
        return ChartStyle.png(chart(width, height));
    }
}

package org.yolofleet.report;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingCurveChartTest {
    private static final TrainingCurveChart MAP = new TrainingCurveChart("val mAP", "mAP", List.of(
            new TrainingCurveChart.Curve("area", new double[] {1, 2, 3}, new double[] {0.1, 0.5, 0.9}),
            new TrainingCurveChart.Curve("with a gap", new double[] {1, 2, 3}, new double[] {0.2, Double.POSITIVE_INFINITY, 0.3}),
            new TrainingCurveChart.Curve("never computed", new double[] {1, 2, 3}, new double[] {Double.NaN, Double.NaN, Double.NaN})),
            true);

    @Test
    void rendersAPngOfTheAskedSizeWithTheFirstCurveDrawn() {
        RenderedPng image = RenderedPng.decode(MAP.png(720, 420));

        assertThat(image.width()).isEqualTo(720);
        assertThat(image.height()).isEqualTo(420);
        assertThat(image.pixelsOf(ChartStyle.color(0).getRGB())).as("the first curve's line and markers").isGreaterThan(200);
    }

    @Test
    void drawsEveryCurveWithAFiniteValueAsOneLegendEntryAndNonFiniteValuesAsGaps() {
        XYChart chart = MAP.chart(720, 420);

        assertThat(chart.getSeriesCollection()).extracting(XYSeries::getName).containsExactly("area", "with a gap");
        XYSeries gap = chart.getSeries("with a gap");
        assertThat(gap.getXData()).containsExactly(1, 2, 3);
        assertThat(gap.getYData()).containsExactly(0.2, Double.NaN, 0.3);
        assertThat(chart.getXAxisTitle()).isEqualTo("epoch");
        assertThat(chart.getYAxisTitle()).isEqualTo("mAP");
        assertThat(chart.getStyler().getYAxisMax()).isEqualTo(1.0);
    }

    @Test
    void followsTheDataWithoutAUnitRange() {
        TrainingCurveChart loss = new TrainingCurveChart("loss", "loss",
                List.of(new TrainingCurveChart.Curve("train loss", new double[] {1}, new double[] {42.5})), false);

        assertThat(loss.chart(720, 420).getStyler().getYAxisMax()).isNull();
        assertThat(RenderedPng.decode(loss.png(720, 420)).inkedPixels()).isGreaterThan(1_000);
    }

    @Test
    void refusesACurveOfUnequalLengths() {
        assertThatThrownBy(() -> new TrainingCurveChart.Curve("bad", new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad");
    }
}

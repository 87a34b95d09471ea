package org.yolofleet.report;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChartStyleTest {
    @Test
    void encodesTheChartAtItsSizeAndTheSameChartToTheSameBytes() {
        byte[] first = ChartStyle.png(chart());
        byte[] second = ChartStyle.png(chart());

        RenderedPng image = RenderedPng.decode(first);
        assertThat(image.width()).isEqualTo(400);
        assertThat(image.height()).isEqualTo(300);
        assertThat(second).as("no timestamp or other varying content").isEqualTo(first);
    }

    @Test
    void coloursRepeatAfterThePalette() {
        assertThat(ChartStyle.color(ChartStyle.colorCount())).isEqualTo(ChartStyle.color(0));
        assertThat(ChartStyle.color(1)).isNotEqualTo(ChartStyle.color(0));
        assertThatThrownBy(() -> ChartStyle.color(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static XYChart chart() {
        XYChart chart = new XYChart(400, 300);
        chart.setTitle("style");
        ChartStyle.apply(chart.getStyler());
        chart.addSeries("rising", new double[] {1, 2, 3}, new double[] {0.1, 0.5, 0.9});
        return chart;
    }
}

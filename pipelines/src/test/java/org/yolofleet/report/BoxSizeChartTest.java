package org.yolofleet.report;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.awt.Color;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BoxSizeChartTest {
    private static final List<BoxSizeChart.Box> BOXES = List.of(
            new BoxSizeChart.Box("cat", 2, 3),
            new BoxSizeChart.Box("dog", 4, 1),
            new BoxSizeChart.Box("unlisted", 1, 1),
            new BoxSizeChart.Box("cat", 5, 6));
    private static final BoxSizeChart CHART = new BoxSizeChart(List.of("dog", "bird", "cat"), BOXES,
            List.of(new double[] {1.5, 2}, new double[] {8, 9.5}), "anchors (k-means, 2)");

    @Test
    void groupsTheBoxesByClassInClassOrderKeepingEachClassColour() {
        List<BoxSizeChart.ClassPoints> points = CHART.classPoints();

        assertThat(points).extracting(BoxSizeChart.ClassPoints::legend).containsExactly("dog (1)", "cat (2)", "unlisted (1)");
        assertThat(points).extracting(BoxSizeChart.ClassPoints::colorIndex).containsExactly(0, 2, 3);
        assertThat(points.get(1).widths()).containsExactly(2, 5);
        assertThat(points.get(1).heights()).containsExactly(3, 6);
    }

    @Test
    void drawsTheAnchorsAsOneLegendEntryAfterTheClassesOnAxesThatHoldEverything() {
        XYChart chart = CHART.chart();

        assertThat(chart.getSeriesCollection()).extracting(XYSeries::getName)
                .containsExactly("dog (1)", "cat (2)", "unlisted (1)", "anchors (k-means, 2)");
        XYSeries anchors = chart.getSeries("anchors (k-means, 2)");
        assertThat(anchors.getXData()).containsExactly(1.5, 8);
        assertThat(anchors.getYData()).containsExactly(2, 9.5);
        assertThat(anchors.getMarker()).isInstanceOf(BoxSizeChart.AnchorMarker.class);
        assertThat(CHART.axisMaximum()).isEqualTo(9.5 * 1.05);
        assertThat(chart.getStyler().getXAxisMax()).isEqualTo(chart.getStyler().getYAxisMax()).isEqualTo(9.5 * 1.05);
    }

    @Test
    void rendersAPngWithTheAnchorsInBlack() {
        RenderedPng image = RenderedPng.decode(CHART.png());

        assertThat(image.width()).isEqualTo(BoxSizeChart.WIDTH);
        assertThat(image.height()).isEqualTo(BoxSizeChart.HEIGHT);
        assertThat(image.pixelsOf(Color.BLACK.getRGB())).as("two anchor diamonds and the legend's").isGreaterThan(3 * 100);
    }

    @Test
    void drawsAnEmptySampleWithoutSeries() {
        BoxSizeChart empty = new BoxSizeChart(List.of("dog"), List.of(), List.of(), "anchors");

        assertThat(empty.chart().getSeriesCollection()).isEmpty();
        assertThat(RenderedPng.decode(empty.png()).inkedPixels()).as("axes and title").isGreaterThan(1_000);
    }
}

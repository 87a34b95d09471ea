package org.yolofleet.report;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ClassHistogramChartTest {
    private static final ClassHistogramChart CHART = new ClassHistogramChart(List.of("RBC", "WBC", "Platelets"),
            Map.of("RBC", 3_000L, "WBC", 250L), Map.of("RBC", 700L, "WBC", 60L, "Platelets", 40L));

    @Test
    void stacksTrainBelowValWithOneCountPerClassAndTheSplitTotalsInTheLegend() {
        assertThat(CHART.layers()).containsExactly(
                new ClassHistogramChart.Layer("train (3,250 objects)", List.of(3_000L, 250L, 0L)),
                new ClassHistogramChart.Layer("val (800 objects)", List.of(700L, 60L, 40L)));

        CategoryChart chart = CHART.chart();
        assertThat(chart.getSeriesCollection()).extracting(CategorySeries::getName)
                .containsExactly("train (3,250 objects)", "val (800 objects)");
        assertThat(List.<Object>copyOf(chart.getSeries("train (3,250 objects)").getXData())).containsExactly("RBC", "WBC", "Platelets");
        assertThat(chart.getStyler().isStacked()).isTrue();
        assertThat(chart.getStyler().getXAxisMaxLabelCount()).as("every class named").isEqualTo(3);
    }

    @Test
    void rendersAPngWithBothSplitsColoured() {
        RenderedPng image = RenderedPng.decode(CHART.png());

        assertThat(image.width()).isEqualTo(CHART.width());
        assertThat(image.height()).isEqualTo(ClassHistogramChart.HEIGHT);
        assertThat(image.pixelsOf(ChartStyle.color(0).getRGB())).as("train bars").isGreaterThan(1_000);
        assertThat(image.pixelsOf(ChartStyle.color(1).getRGB())).as("val bars").isGreaterThan(100);
    }

    @Test
    void widensWithManyClasses() {
        List<String> classes = IntStream.range(0, 40).mapToObj(index -> "class-" + index).toList();
        ClassHistogramChart wide = new ClassHistogramChart(classes, Map.of("class-0", 5L), Map.of());

        RenderedPng image = RenderedPng.decode(wide.png());

        assertThat(image.width()).isGreaterThan(40 * 40).isEqualTo(wide.width());
    }
}

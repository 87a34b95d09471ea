package org.yolofleet.report;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.eval.AveragePrecisionMethod;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.core.eval.VocEvaluator;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PrecisionRecallChartTest {
    private static final BoundingBox OBJECT = new BoundingBox(0, 0, 10, 10);
    private static final PrecisionRecallChart CHART = new PrecisionRecallChart("val, epoch 3", evaluation(),
            List.of("dog", "cat", "bird", "fish"), AveragePrecisionMethod.VOC2010_AREA);

    @Test
    void rendersAPngWithEachClassCurveInItsColour() {
        RenderedPng image = RenderedPng.decode(CHART.png());

        assertThat(image.width()).isEqualTo(PrecisionRecallChart.WIDTH);
        assertThat(image.height()).isEqualTo(PrecisionRecallChart.MINIMUM_HEIGHT);
        assertThat(image.pixelsOf(ChartStyle.color(0).getRGB())).as("dog").isGreaterThan(100);
        assertThat(image.pixelsOf(ChartStyle.color(1).getRGB())).as("cat").isGreaterThan(100);
    }

    @Test
    void drawsOneCurvePerClassWithGroundTruthFromRecallZeroWithItsApInTheLegend() {
        List<PrecisionRecallChart.ClassCurve> curves = CHART.curves();

        assertThat(curves).extracting(PrecisionRecallChart.ClassCurve::legend)
                .containsExactly("dog  AP 0.833", "cat  AP 0.500", "fish  AP 0.000");
        PrecisionRecallChart.ClassCurve dog = curves.get(0);
        assertThat(dog.recall()).containsExactly(0, 0.5, 0.5, 1);
        assertThat(dog.precision()).containsExactly(1, 1, 0.5, 2 / 3.0);
        assertThat(curves.get(2).recall()).as("fish: found never").containsExactly(0);
        assertThat(curves.get(2).precision()).containsExactly(0);

        XYChart chart = CHART.chart();
        assertThat(chart.getSeriesCollection()).extracting(XYSeries::getName)
                .containsExactly("dog  AP 0.833", "cat  AP 0.500", "fish  AP 0.000");
        assertThat(chart.getSeries("cat  AP 0.500").getLineColor()).isEqualTo(ChartStyle.color(1));
    }

    @Test
    void titleGivesTheMapAndNamesTheClassesWithoutGroundTruth() {
        assertThat(CHART.title()).isEqualTo("precision/recall at IoU 0.50, val, epoch 3: mAP 0.444 (VOC2010 area); no ground truth: bird");
    }

    @Test
    void growsWithManyClassesSoTheLegendFits() {
        List<GroundTruth> truths = IntStream.range(0, 60).mapToObj(classId -> new GroundTruth("a", classId, OBJECT, false)).toList();
        Evaluation evaluation = new VocEvaluator(60).evaluate(truths, List.of());
        List<String> names = IntStream.range(0, 60).mapToObj(classId -> "class " + classId).toList();

        RenderedPng image = RenderedPng.decode(new PrecisionRecallChart("val", evaluation, names, AveragePrecisionMethod.VOC2010_AREA).png());

        assertThat(image.height()).isGreaterThan(60 * 20);
    }

    /**
     * Dog: two objects, found by the first and third of three detections; cat: one object, found by the second of two;
     * bird: no ground truth, one detection; fish: one object, never found.
     */
    private static Evaluation evaluation() {
        List<GroundTruth> truths = List.of(
                new GroundTruth("a", 0, OBJECT, false),
                new GroundTruth("b", 0, OBJECT, false),
                new GroundTruth("a", 1, OBJECT, false),
                new GroundTruth("a", 3, OBJECT, false));
        List<Prediction> predictions = List.of(
                new Prediction("a", new Detection(0, 0.9, OBJECT)),
                new Prediction("c", new Detection(0, 0.8, OBJECT)),
                new Prediction("b", new Detection(0, 0.7, OBJECT)),
                new Prediction("c", new Detection(1, 0.6, OBJECT)),
                new Prediction("a", new Detection(1, 0.5, OBJECT)),
                new Prediction("a", new Detection(2, 0.5, OBJECT)));
        return new VocEvaluator(4).evaluate(truths, predictions);
    }
}

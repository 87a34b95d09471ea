package org.yolofleet.ml.eval;

import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.eval.ClassEvaluation;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.eval.EvaluationSettings;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.core.eval.VocEvaluator;
import org.yolofleet.testing.LocalSpark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DistributedEvaluatorTest {
    private static final int CLASSES = 5;
    /** Class 2 has ground truth but is never detected, class 3 is detected but has no ground truth, class 4 is in neither. */
    private static final int NEVER_DETECTED = 2;
    private static final int NEVER_LABELLED = 3;
    private static final BoundingBox OBJECT = new BoundingBox(0, 0, 10, 10);
    private static final BoundingBox ELSEWHERE = new BoundingBox(100, 100, 110, 110);

    private static SparkSession spark;
    private static Synthetic synthetic;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
        synthetic = Synthetic.generate(new Random(20261206), 120);
    }

    @Test
    void syntheticFixtureHasEveryHardCase() {
        Set<String> labelled = synthetic.truths.stream().map(GroundTruth::imageId).collect(Collectors.toSet());
        Set<String> detected = synthetic.predictions.stream().map(Prediction::imageId).collect(Collectors.toSet());
        assertThat(detected).as("images with detections but no ground truth").anyMatch(image -> !labelled.contains(image));
        assertThat(labelled).as("images with ground truth but no detections").anyMatch(image -> !detected.contains(image));
        assertThat(synthetic.truths).as("difficult objects").anyMatch(GroundTruth::difficult);
        assertThat(synthetic.truths).noneMatch(truth -> truth.classId() == NEVER_LABELLED).anyMatch(truth -> truth.classId() == NEVER_DETECTED);
        assertThat(synthetic.predictions).noneMatch(prediction -> prediction.detection().classId() == NEVER_DETECTED)
                .anyMatch(prediction -> prediction.detection().classId() == NEVER_LABELLED);
        // equal scores of one class in different images, and identical detections
        long tiedAcrossImages = synthetic.predictions.stream()
                .collect(Collectors.groupingBy(prediction -> prediction.detection().classId() + "/" + prediction.detection().score(),
                        Collectors.mapping(Prediction::imageId, Collectors.toSet())))
                .values().stream().filter(images -> images.size() > 1).count();
        assertThat(tiedAcrossImages).isGreaterThan(10);
        assertThat(synthetic.predictions.stream().distinct().count()).isLessThan(synthetic.predictions.size());
    }

    @Test
    void equalsTheSingleJvmEvaluatorOnNoisyDetectionsWithTies() {
        for (EvaluationSettings settings : List.of(EvaluationSettings.VOC, new EvaluationSettings(0.5, false, 2))) {
            Evaluation expected = new VocEvaluator(CLASSES, settings).evaluate(synthetic.truths, ranked(synthetic.predictions));

            Evaluation actual = new DistributedEvaluator(CLASSES, settings).evaluate(detections(synthetic.predictions), truths(synthetic.truths));

            assertSame(actual, expected);
            assertThat(actual.classes().get(NEVER_LABELLED).hasGroundTruth()).isFalse();
            assertThat(actual.classes().get(NEVER_LABELLED).falsePositives()).isPositive();
            assertThat(actual.classes().get(NEVER_DETECTED).areaAveragePrecision()).hasValue(0);
            assertThat(actual.classes().get(0).ignored()).isPositive();
            assertThat(actual.areaMeanAveragePrecision().getAsDouble()).isBetween(0.2, 0.95);
        }
    }

    @Test
    void theOrderOfEqualScoresMatters() {
        // the same detections with ties broken the other way (image ids descending) score differently in one JVM,
        // so the equality above is a statement about tie order, not luck
        Comparator<Prediction> otherTies = Comparator.comparingDouble((Prediction prediction) -> prediction.detection().score()).reversed()
                .thenComparing(Prediction::imageId, Comparator.reverseOrder());
        List<Prediction> reordered = new ArrayList<>(synthetic.predictions);
        reordered.sort(otherTies);
        Evaluation otherOrder = new VocEvaluator(CLASSES).evaluate(synthetic.truths, reordered);

        Evaluation actual = new DistributedEvaluator(CLASSES).evaluate(detections(synthetic.predictions), truths(synthetic.truths));

        assertThat(actual.classes()).isNotEqualTo(otherOrder.classes());
    }

    @Test
    void partitioningDoesNotChangeTheResult() {
        Evaluation expected = new VocEvaluator(CLASSES).evaluate(synthetic.truths, ranked(synthetic.predictions));
        Dataset<Row> detections = detections(synthetic.predictions);
        Dataset<Row> truths = truths(synthetic.truths);
        DistributedEvaluator evaluator = new DistributedEvaluator(CLASSES);

        Evaluation four = evaluator.evaluate(detections.repartition(4), truths.repartition(4));
        Evaluation one = evaluator.evaluate(detections.repartition(1), truths.repartition(1));
        Evaluation mixed = evaluator.evaluate(detections.repartition(7), truths.coalesce(1));

        assertSame(four, expected);
        assertSame(one, expected);
        assertSame(mixed, expected);
    }

    @Test
    void computesEachInputOnce() {
        // a detections frame is often a detector's output: evaluating must not run it once per Spark job
        LongAccumulator detectionReads = spark.sparkContext().longAccumulator("detection reads");
        LongAccumulator truthReads = spark.sparkContext().longAccumulator("truth reads");
        Dataset<Row> detections = detections(synthetic.predictions).map((MapFunction<Row, Row>) row -> {
            detectionReads.add(1);
            return row;
        }, Encoders.row(DetectionFrame.SCHEMA));
        Dataset<Row> truths = truths(synthetic.truths).map((MapFunction<Row, Row>) row -> {
            truthReads.add(1);
            return row;
        }, Encoders.row(GroundTruthFrame.SCHEMA));

        Evaluation evaluation = new DistributedEvaluator(CLASSES).evaluate(detections, truths);

        assertSame(evaluation, new VocEvaluator(CLASSES).evaluate(synthetic.truths, ranked(synthetic.predictions)));
        assertThat(detectionReads.value()).isEqualTo(synthetic.predictions.size());
        assertThat(truthReads.value()).isEqualTo(synthetic.truths.size());
    }

    @Test
    void equalsTheSingleJvmEvaluatorOnFiveThousandImages() {
        Synthetic large = Synthetic.generate(new Random(5000), 5000);
        Dataset<Row> detections = detections(large.predictions).cache();
        Dataset<Row> truths = truths(large.truths).cache();
        detections.count();
        truths.count();

        Evaluation expected = new VocEvaluator(CLASSES).evaluate(large.truths, ranked(large.predictions));
        Evaluation actual = new DistributedEvaluator(CLASSES).evaluate(detections, truths);

        assertSame(actual, expected);
        detections.unpersist();
        truths.unpersist();
    }

    @Test
    void handComputedCase() {
        // three objects; ranked detections: a TP (0.9), b FP (0.8), b TP (0.7), c FP (0.6); the object in c is missed:
        // recall 1/3, 1/3, 2/3, 2/3; precision 1, 1/2, 2/3, 1/2 -> 11-point 6/11, area 5/9, COCO (IoU 1) 56/101
        List<GroundTruth> truths = List.of(
                new GroundTruth("a", 0, OBJECT, false), new GroundTruth("b", 0, OBJECT, false), new GroundTruth("c", 0, OBJECT, false));
        List<Prediction> predictions = List.of(
                prediction("c", 0, 0.6, ELSEWHERE), prediction("b", 0, 0.7, OBJECT), prediction("a", 0, 0.9, OBJECT), prediction("b", 0, 0.8, ELSEWHERE));

        ClassEvaluation evaluation = new DistributedEvaluator(1).evaluate(detections(predictions), truths(truths)).classes().get(0);

        assertThat(evaluation.curve().scores()).containsExactly(0.9, 0.8, 0.7, 0.6);
        assertThat(evaluation.elevenPointAveragePrecision().getAsDouble()).isCloseTo(6.0 / 11, within(1e-12));
        assertThat(evaluation.areaAveragePrecision().getAsDouble()).isCloseTo(5.0 / 9, within(1e-12));
        assertThat(evaluation.cocoAveragePrecision().getAsDouble()).isCloseTo(56.0 / 101, within(1e-12));
    }

    @Test
    void equalScoresRankByImageIdThenBox() {
        // one object in b; the same score in a (a miss) and b (a hit): a ranks first, so precision 0 then 1/2
        List<GroundTruth> truths = List.of(new GroundTruth("b", 0, OBJECT, false));
        List<Prediction> predictions = List.of(prediction("b", 0, 0.5, OBJECT), prediction("a", 0, 0.5, OBJECT));

        ClassEvaluation evaluation = new DistributedEvaluator(1).evaluate(detections(predictions), truths(truths)).classes().get(0);

        assertThat(evaluation.curve().precision()).containsExactly(0, 0.5);
        assertThat(DistributedEvaluator.compareCodePoints("\uFF5E", "\uD83D\uDE00")).as("a supplementary character sorts last").isNegative();
        assertThat("\uFF5E".compareTo("\uD83D\uDE00")).as("unlike String.compareTo").isPositive();
    }

    @Test
    void emptyDetectionsScoreZero() {
        Evaluation evaluation = new DistributedEvaluator(CLASSES).evaluate(detections(List.of()), truths(synthetic.truths));

        assertThat(evaluation.areaMeanAveragePrecision()).hasValue(0);
        assertThat(evaluation.classesWithoutGroundTruth()).containsExactly(NEVER_LABELLED, 4);
    }

    @Test
    void refusesMissingColumnsAndInvalidRows() {
        Dataset<Row> truths = truths(List.of(new GroundTruth("a", 0, OBJECT, false)));
        DistributedEvaluator evaluator = new DistributedEvaluator(2);

        assertThatThrownBy(() -> evaluator.evaluate(detections(List.of()).drop(DetectionFrame.SCORE), truths))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("no column 'score'")
                .satisfies(failure -> assertThat(((YoloFleetException) failure).code()).isEqualTo(ErrorCode.BAD_DATASET));
        assertThatThrownBy(() -> evaluator.evaluate(detections(List.of(prediction("a", 3, 0.5, OBJECT))), truths))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("1 detection rows are invalid")
                .hasMessageContaining("class id in 0 .. 1");
        assertThatThrownBy(() -> evaluator.evaluate(detections(List.of()), truths(List.of(new GroundTruth("a", 9, OBJECT, false)))))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("class id 9");
        Dataset<Row> inverted = detections(List.of(prediction("a", 0, 0.5, OBJECT)))
                .withColumn(DetectionFrame.XMAX, org.apache.spark.sql.functions.lit(-1.0));
        assertThatThrownBy(() -> evaluator.evaluate(inverted, truths))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("finite box with xmin <= xmax");
    }

    /** The same to 1e-9 ({@link EvaluationAssertions}), and the per-class tallies and curves equal as records. */
    private static void assertSame(Evaluation actual, Evaluation expected) {
        EvaluationAssertions.assertSameEvaluation(actual, expected);
        for (int classId = 0; classId < expected.classes().size(); classId++) {
            assertThat(actual.classes().get(classId)).as("class %d", classId).isEqualTo(expected.classes().get(classId));
        }
    }

    private static List<Prediction> ranked(List<Prediction> predictions) {
        List<Prediction> ranked = new ArrayList<>(predictions);
        ranked.sort(DistributedEvaluator.RANKING);
        return ranked;
    }

    private static Dataset<Row> detections(List<Prediction> predictions) {
        return DetectionFrame.of(spark, predictions);
    }

    private static Dataset<Row> truths(List<GroundTruth> truths) {
        return GroundTruthFrame.of(spark, truths);
    }

    private static Prediction prediction(String imageId, int classId, double score, BoundingBox box) {
        return new Prediction(imageId, new Detection(classId, score, box));
    }

    /**
     * Noisy detections of random objects on whole-pixel boxes: most objects found with a jittered box, some twice, some
     * listed twice identically, false positives everywhere; scores in tenths, so many are equal across images. Every
     * tenth image has no objects (only false positives) and every tenth another has no detections.
     */
    private record Synthetic(List<GroundTruth> truths, List<Prediction> predictions) {
        static Synthetic generate(Random random, int images) {
            List<GroundTruth> truths = new ArrayList<>();
            List<Prediction> predictions = new ArrayList<>();
            int[] detectedClasses = {0, 1, NEVER_LABELLED};
            for (int image = 0; image < images; image++) {
                String imageId = "site/image_" + Integer.toString(image * 7 % images, 36);
                boolean unlabelled = image % 10 == 0;
                boolean undetected = image % 10 == 5;
                int objects = unlabelled ? 0 : 1 + random.nextInt(4);
                for (int object = 0; object < objects; object++) {
                    int classId = random.nextInt(3);
                    BoundingBox box = randomBox(random);
                    truths.add(new GroundTruth(imageId, classId, box, random.nextDouble() < 0.15));
                    if (undetected || classId == NEVER_DETECTED) {
                        continue;
                    }
                    if (random.nextDouble() < 0.8) {
                        Prediction found = new Prediction(imageId, new Detection(classId, tenths(random), jitter(random, box)));
                        predictions.add(found);
                        if (random.nextDouble() < 0.1) {
                            predictions.add(found);
                        }
                    }
                    if (random.nextDouble() < 0.25) {
                        predictions.add(new Prediction(imageId, new Detection(classId, tenths(random), jitter(random, box))));
                    }
                }
                int falsePositives = undetected ? 0 : random.nextInt(3);
                for (int index = 0; index < falsePositives; index++) {
                    int classId = detectedClasses[random.nextInt(detectedClasses.length)];
                    predictions.add(new Prediction(imageId, new Detection(classId, tenths(random), randomBox(random))));
                }
            }
            Collections.shuffle(predictions, random);
            Collections.shuffle(truths, random);
            return new Synthetic(List.copyOf(truths), List.copyOf(predictions));
        }

        private static BoundingBox randomBox(Random random) {
            int xmin = random.nextInt(200);
            int ymin = random.nextInt(200);
            return new BoundingBox(xmin, ymin, xmin + 10 + random.nextInt(50), ymin + 10 + random.nextInt(50));
        }

        private static BoundingBox jitter(Random random, BoundingBox box) {
            double dx = (random.nextInt(9) - 4) * box.width() / 20;
            double dy = (random.nextInt(9) - 4) * box.height() / 20;
            double grow = random.nextInt(5) - 2;
            return new BoundingBox(box.xmin() + dx, box.ymin() + dy, box.xmax() + dx + grow, box.ymax() + dy + grow);
        }

        private static double tenths(Random random) {
            return (1 + random.nextInt(10)) / 10.0;
        }
    }
}

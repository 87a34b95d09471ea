package org.yolofleet.ml.eval;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.eval.EvaluationSettings;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.testing.LocalSpark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.yolofleet.ml.eval.EvaluationAssertions.assertSameEvaluation;

/** The split's mAP on the driver below the size and on the executors above it: the same numbers either way. */
class SplitEvaluatorTest {
    private static final EvaluationSettings SETTINGS = EvaluationSettings.VOC.withPlusOnePixel(false);
    private static final BoundingBox OBJECT = new BoundingBox(10, 10, 40, 40);
    private static final BoundingBox ELSEWHERE = new BoundingBox(60, 60, 90, 90);

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
    }

    @Test
    void aSplitIsDistributedOnlyAboveTheSizeAndOnlyWithASession() {
        SplitEvaluator above = SplitEvaluator.distributedAbove(40, spark);
        assertThat(above.distributes(40)).isFalse();
        assertThat(above.distributes(41)).isTrue();
        assertThat(SplitEvaluator.distributedAbove(0, spark).distributes(1)).isTrue();
        assertThat(SplitEvaluator.onDriver().distributes(Long.MAX_VALUE)).isFalse();
        assertThatThrownBy(() -> SplitEvaluator.distributedAbove(-1, spark)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void belowAndAboveTheSizeGiveTheSameEvaluationOnNoisyDetectionsWithTies() {
        Random random = new Random(20261207);
        List<GroundTruth> truths = new ArrayList<>();
        List<Prediction> predictions = new ArrayList<>();
        int images = 40;
        for (int image = 0; image < images; image++) {
            String imageId = "val/" + (image * 13 % images);
            for (int object = 0; object < 1 + random.nextInt(3); object++) {
                int classId = random.nextInt(3);
                int x = random.nextInt(100);
                int y = random.nextInt(100);
                BoundingBox box = new BoundingBox(x, y, x + 20 + random.nextInt(30), y + 20 + random.nextInt(30));
                truths.add(new GroundTruth(imageId, classId, box, random.nextDouble() < 0.1));
                // scores in tenths: many equal scores across images
                double shift = random.nextInt(7) - 3;
                predictions.add(prediction(imageId, classId, (1 + random.nextInt(10)) / 10.0,
                        new BoundingBox(box.xmin() + shift, box.ymin(), box.xmax() + shift, box.ymax())));
                if (random.nextDouble() < 0.5) {
                    predictions.add(prediction(imageId, random.nextInt(3), (1 + random.nextInt(10)) / 10.0, ELSEWHERE));
                }
            }
        }
        Collections.shuffle(predictions, random);

        Evaluation below = SplitEvaluator.distributedAbove(images, spark).evaluate(3, SETTINGS, images, truths, predictions);
        Evaluation above = SplitEvaluator.distributedAbove(images - 1, spark).evaluate(3, SETTINGS, images, truths, predictions);

        assertThat(below.areaMeanAveragePrecision()).isPresent();
        assertThat(below.areaMeanAveragePrecision().getAsDouble()).isStrictlyBetween(0.0, 1.0);
        assertSameEvaluation(above, below);
    }

    @Test
    void equalScoresRankByImageIdOnTheDriverAsOnTheExecutors() {
        // one object in each of two images; a false positive on "b" listed before a true positive on "a", same score:
        // in input order the curve starts with a miss (AP 0.25), in RANKING order with the hit (AP 0.5)
        List<GroundTruth> truths = List.of(new GroundTruth("a", 0, OBJECT, false), new GroundTruth("b", 0, OBJECT, false));
        List<Prediction> predictions = List.of(prediction("b", 0, 0.5, ELSEWHERE), prediction("a", 0, 0.5, OBJECT));

        Evaluation driver = SplitEvaluator.onDriver().evaluate(1, SETTINGS, 2, truths, predictions);
        Evaluation executors = SplitEvaluator.distributedAbove(0, spark).evaluate(1, SETTINGS, 2, truths, predictions);

        assertThat(driver.areaMeanAveragePrecision().getAsDouble()).isCloseTo(0.5, within(1e-12));
        assertSameEvaluation(executors, driver);
    }

    private static Prediction prediction(String imageId, int classId, double score, BoundingBox box) {
        return new Prediction(imageId, new Detection(classId, score, box));
    }
}

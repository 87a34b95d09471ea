package org.yolofleet.core.eval;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class VocEvaluatorTest {
    private static final double TOLERANCE = 1e-12;
    private static final BoundingBox OBJECT = new BoundingBox(0, 0, 10, 10);
    private static final BoundingBox ELSEWHERE = new BoundingBox(100, 100, 110, 110);

    @Test
    void oneClassWhereElevenPointAndAreaDiffer() {
        // three objects; ranked detections: a TP (0.9), b FP (0.8), b TP (0.7), c FP (0.6); the object in c is missed
        // recall 1/3, 1/3, 2/3, 2/3; precision 1, 1/2, 2/3, 1/2
        // 11-point: levels 0..0.3 -> 1, 0.4..0.6 -> 2/3, 0.7..1 -> 0: (4 + 3 x 2/3) / 11 = 6/11
        // area: envelope 1, 2/3, 1/2 over recall steps of 1/3 at 1/3 and 2/3: 1/3 + 2/9 = 5/9
        // COCO (every match has IoU 1, so every threshold alike): (34 x 1 + 33 x 2/3) / 101 = 56/101
        ClassEvaluation evaluation = new VocEvaluator(1).evaluate(threeObjects(0), threeObjectPredictions(0)).classes().get(0);

        assertThat(evaluation.positives()).isEqualTo(3);
        assertThat(evaluation.truePositives()).isEqualTo(2);
        assertThat(evaluation.falsePositives()).isEqualTo(2);
        assertThat(evaluation.ignored()).isZero();
        assertThat(evaluation.curve().scores()).containsExactly(0.9, 0.8, 0.7, 0.6);
        assertThat(evaluation.curve().recall()).containsExactly(1.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3);
        assertThat(evaluation.curve().precision()).containsExactly(1, 0.5, 2.0 / 3, 0.5);
        assertThat(evaluation.elevenPointAveragePrecision().getAsDouble()).isCloseTo(6.0 / 11, within(TOLERANCE));
        assertThat(evaluation.areaAveragePrecision().getAsDouble()).isCloseTo(5.0 / 9, within(TOLERANCE));
        assertThat(evaluation.cocoAveragePrecision().getAsDouble()).isCloseTo(56.0 / 101, within(TOLERANCE));
    }

    @Test
    void severalClassesAverageOnlyClassesWithGroundTruth() {
        // class 0: found perfectly (AP 1); class 1: the case above; class 2: a false positive only; class 3: nothing
        List<GroundTruth> truths = new ArrayList<>(threeObjects(1));
        truths.add(new GroundTruth("a", 0, OBJECT, false));
        List<Prediction> predictions = new ArrayList<>(threeObjectPredictions(1));
        predictions.add(prediction("a", 0, 0.5, OBJECT));
        predictions.add(prediction("a", 2, 0.4, ELSEWHERE));

        Evaluation evaluation = new VocEvaluator(4).evaluate(truths, predictions);

        assertThat(evaluation.classes()).extracting(ClassEvaluation::classId).containsExactly(0, 1, 2, 3);
        assertThat(evaluation.classesWithoutGroundTruth()).containsExactly(2, 3);
        assertThat(evaluation.classes().get(2).falsePositives()).isEqualTo(1);
        assertThat(evaluation.classes().get(2).areaAveragePrecision()).isEmpty();
        assertThat(evaluation.classes().get(2).curve()).isEqualTo(PrecisionRecallCurve.EMPTY);
        assertThat(evaluation.areaMeanAveragePrecision().getAsDouble()).isCloseTo((1 + 5.0 / 9) / 2, within(TOLERANCE));
        assertThat(evaluation.elevenPointMeanAveragePrecision().getAsDouble()).isCloseTo((1 + 6.0 / 11) / 2, within(TOLERANCE));
        assertThat(evaluation.cocoMeanAveragePrecision().getAsDouble()).isCloseTo((1 + 56.0 / 101) / 2, within(TOLERANCE));
    }

    @Test
    void difficultObjectsAreNotPositivesAndTheirDetectionsAreIgnored() {
        BoundingBox difficultObject = new BoundingBox(50, 50, 60, 60);
        List<GroundTruth> truths = List.of(
                new GroundTruth("a", 0, OBJECT, false),
                new GroundTruth("a", 0, difficultObject, true),
                new GroundTruth("b", 1, OBJECT, true));
        List<Prediction> predictions = List.of(
                prediction("a", 0, 0.9, difficultObject),
                prediction("a", 0, 0.8, OBJECT),
                prediction("a", 0, 0.7, new BoundingBox(51, 50, 61, 60)),
                prediction("a", 0, 0.6, ELSEWHERE),
                prediction("b", 1, 0.9, OBJECT));

        Evaluation evaluation = new VocEvaluator(2).evaluate(truths, predictions);

        // counted: TP (0.8), FP (0.6): recall 1, 1; precision 1, 1/2 -> AP 1 by every method
        ClassEvaluation withDifficult = evaluation.classes().get(0);
        assertThat(withDifficult.positives()).isEqualTo(1);
        assertThat(withDifficult.difficult()).isEqualTo(1);
        assertThat(withDifficult.truePositives()).isEqualTo(1);
        assertThat(withDifficult.falsePositives()).isEqualTo(1);
        assertThat(withDifficult.ignored()).isEqualTo(2);
        assertThat(withDifficult.curve().scores()).containsExactly(0.8, 0.6);
        assertThat(withDifficult.curve().precision()).containsExactly(1, 0.5);
        assertThat(withDifficult.areaAveragePrecision()).hasValue(1);
        assertThat(withDifficult.elevenPointAveragePrecision().getAsDouble()).isCloseTo(1, within(TOLERANCE));
        assertThat(withDifficult.cocoAveragePrecision().getAsDouble()).isCloseTo(1, within(TOLERANCE));
        // only difficult objects: no positives, AP undefined, the detection neither true nor false
        ClassEvaluation onlyDifficult = evaluation.classes().get(1);
        assertThat(onlyDifficult.hasGroundTruth()).isFalse();
        assertThat(onlyDifficult.ignored()).isEqualTo(1);
        assertThat(onlyDifficult.falsePositives()).isZero();
        assertThat(evaluation.classesWithoutGroundTruth()).containsExactly(1);
    }

    @Test
    void duplicateDetectionsAreFalsePositives() {
        // two objects; 0.9 finds the first, 0.8 finds it again (IoU 110 / 132 with +1), 0.7 finds the second
        // recall 1/2, 1/2, 1; precision 1, 1/2, 2/3
        // area: envelope 1 up to recall 1/2, then 2/3: 1/2 + 1/3 = 5/6
        // 11-point: levels 0..0.5 -> 1 (6 levels), 0.6..1 -> 2/3 (5 levels): (6 + 10/3) / 11 = 28/33
        BoundingBox second = new BoundingBox(20, 0, 30, 10);
        List<GroundTruth> truths = List.of(new GroundTruth("a", 0, OBJECT, false), new GroundTruth("a", 0, second, false));
        List<Prediction> predictions = List.of(
                prediction("a", 0, 0.9, OBJECT),
                prediction("a", 0, 0.8, new BoundingBox(1, 0, 11, 10)),
                prediction("a", 0, 0.7, second));

        ClassEvaluation evaluation = new VocEvaluator(1).evaluate(truths, predictions).classes().get(0);

        assertThat(evaluation.truePositives()).isEqualTo(2);
        assertThat(evaluation.falsePositives()).isEqualTo(1);
        assertThat(evaluation.areaAveragePrecision().getAsDouble()).isCloseTo(5.0 / 6, within(TOLERANCE));
        assertThat(evaluation.elevenPointAveragePrecision().getAsDouble()).isCloseTo(28.0 / 33, within(TOLERANCE));
    }

    @Test
    void vocTakesTheBestOverlapEvenWhenItIsMatchedWhileCocoTakesTheBestFreeOne() {
        // objects 0..10 and 4..14 wide; the second detection 1..11 overlaps the first object most (IoU 110 / 132 with +1)
        // and the second one less (88 / 154 = 0.57 with +1; 70 / 130 = 0.54 without)
        List<GroundTruth> truths = List.of(
                new GroundTruth("a", 0, OBJECT, false),
                new GroundTruth("a", 0, new BoundingBox(4, 0, 14, 10), false));
        List<Prediction> predictions = List.of(
                prediction("a", 0, 0.9, OBJECT),
                prediction("a", 0, 0.8, new BoundingBox(1, 0, 11, 10)));

        ClassEvaluation evaluation = new VocEvaluator(1).evaluate(truths, predictions).classes().get(0);

        // VOC: the second detection is a duplicate of the first object: recall 1/2, 1/2; precision 1, 1/2 -> AP 1/2
        assertThat(evaluation.falsePositives()).isEqualTo(1);
        assertThat(evaluation.areaAveragePrecision().getAsDouble()).isCloseTo(0.5, within(TOLERANCE));
        // COCO: at IoU 0.50 it matches the free second object (AP 1); at 0.55 and above it is a false positive,
        // recall 1/2 with precision 1 reaches the levels 0 .. 0.5 (51 of 101): (1 + 9 x 51/101) / 10 = 56/101
        assertThat(evaluation.cocoAveragePrecision().getAsDouble()).isCloseTo(56.0 / 101, within(TOLERANCE));
    }

    @Test
    void emptyPredictionsGiveZeroForClassesWithGroundTruth() {
        List<GroundTruth> truths = List.of(new GroundTruth("a", 0, OBJECT, false), new GroundTruth("b", 1, OBJECT, false));

        Evaluation evaluation = new VocEvaluator(2).evaluate(truths, List.of());

        assertThat(evaluation.classes()).allSatisfy(classEvaluation -> {
            assertThat(classEvaluation.areaAveragePrecision()).hasValue(0);
            assertThat(classEvaluation.elevenPointAveragePrecision()).hasValue(0);
            assertThat(classEvaluation.curve().size()).isZero();
        });
        assertThat(evaluation.areaMeanAveragePrecision()).hasValue(0);
        assertThat(evaluation.cocoMeanAveragePrecision()).hasValue(0);
    }

    @Test
    void noGroundTruthAtAllLeavesEveryMeanUndefined() {
        Evaluation evaluation = new VocEvaluator(3).evaluate(List.of(), List.of(prediction("a", 1, 0.5, OBJECT)));

        assertThat(evaluation.areaMeanAveragePrecision()).isEmpty();
        assertThat(evaluation.elevenPointMeanAveragePrecision()).isEmpty();
        assertThat(evaluation.cocoMeanAveragePrecision()).isEmpty();
        assertThat(evaluation.classesWithoutGroundTruth()).containsExactly(0, 1, 2);
    }

    @Test
    void detectionsInImagesWithoutObjectsAreFalsePositives() {
        List<GroundTruth> truths = List.of(new GroundTruth("a", 0, OBJECT, false));
        List<Prediction> predictions = List.of(prediction("unlabelled", 0, 0.9, OBJECT), prediction("a", 0, 0.8, OBJECT));

        ClassEvaluation evaluation = new VocEvaluator(1).evaluate(truths, predictions).classes().get(0);

        assertThat(evaluation.falsePositives()).isEqualTo(1);
        assertThat(evaluation.truePositives()).isEqualTo(1);
        assertThat(evaluation.curve().precision()).containsExactly(0, 0.5);
        assertThat(evaluation.areaAveragePrecision().getAsDouble()).isCloseTo(0.5, within(TOLERANCE));
    }

    @Test
    void plusOnePixelConventionChangesTheOverlap() {
        // object 0..9 x 0..9, detection 0..9 x 0..4
        // inclusive pixels: 10 x 10 = 100 and 10 x 5 = 50, intersection 50: IoU 1/2, a match at 0.5
        // continuous: 9 x 9 = 81 and 9 x 4 = 36, intersection 36: IoU 4/9, no match
        BoundingBox object = new BoundingBox(0, 0, 9, 9);
        BoundingBox detection = new BoundingBox(0, 0, 9, 4);
        assertThat(VocEvaluator.iou(object, detection, true)).isEqualTo(0.5);
        assertThat(VocEvaluator.iou(object, detection, false)).isCloseTo(4.0 / 9, within(TOLERANCE));
        // a one-pixel box is a box with +1, and nothing without
        BoundingBox pixel = new BoundingBox(3, 3, 3, 3);
        assertThat(VocEvaluator.iou(pixel, pixel, true)).isEqualTo(1);
        assertThat(VocEvaluator.iou(pixel, pixel, false)).isZero();

        List<GroundTruth> truths = List.of(new GroundTruth("a", 0, object, false));
        List<Prediction> predictions = List.of(prediction("a", 0, 0.9, detection));
        Evaluation inclusive = new VocEvaluator(1).evaluate(truths, predictions);
        Evaluation continuous = new VocEvaluator(1, EvaluationSettings.VOC.withPlusOnePixel(false)).evaluate(truths, predictions);

        assertThat(inclusive.areaMeanAveragePrecision()).hasValue(1);
        assertThat(continuous.areaMeanAveragePrecision()).hasValue(0);
    }

    @Test
    void iouThresholdIsInclusive() {
        // IoU exactly 1/2 with +1 (see above) matches at 0.5 but not just above it
        List<GroundTruth> truths = List.of(new GroundTruth("a", 0, new BoundingBox(0, 0, 9, 9), false));
        List<Prediction> predictions = List.of(prediction("a", 0, 0.9, new BoundingBox(0, 0, 9, 4)));
        EvaluationSettings stricter = EvaluationSettings.VOC.withIouThreshold(Math.nextUp(0.5));

        assertThat(new VocEvaluator(1, stricter).evaluate(truths, predictions).areaMeanAveragePrecision()).hasValue(0);
    }

    @Test
    void cocoOfAPerfectPredictionIsOne() {
        List<GroundTruth> truths = new ArrayList<>();
        List<Prediction> predictions = new ArrayList<>();
        for (int image = 0; image < 5; image++) {
            for (int classId = 0; classId < 3; classId++) {
                BoundingBox box = new BoundingBox(10 * classId, 5 * image, 10 * classId + 8.5, 5 * image + 20);
                truths.add(new GroundTruth("image" + image, classId, box, false));
                predictions.add(prediction("image" + image, classId, 0.1 + 0.05 * image + 0.01 * classId, box));
            }
        }

        Evaluation evaluation = new VocEvaluator(3).evaluate(truths, predictions);

        assertThat(evaluation.cocoMeanAveragePrecision().getAsDouble()).isCloseTo(1, within(TOLERANCE));
        assertThat(evaluation.areaMeanAveragePrecision().getAsDouble()).isCloseTo(1, within(TOLERANCE));
        assertThat(evaluation.elevenPointMeanAveragePrecision().getAsDouble()).isCloseTo(1, within(TOLERANCE));
    }

    @Test
    void cocoCountsOnlyTheBestDetectionsPerImage() {
        // two objects found exactly, but only one detection per image counts: recall 1/2, precision 1
        // levels 0 .. 0.5 (51 of 101) -> 51/101; the VOC numbers see both detections
        List<GroundTruth> truths = List.of(new GroundTruth("a", 0, OBJECT, false), new GroundTruth("a", 0, ELSEWHERE, false));
        List<Prediction> predictions = List.of(prediction("a", 0, 0.9, OBJECT), prediction("a", 0, 0.8, ELSEWHERE));

        Evaluation evaluation = new VocEvaluator(1, new EvaluationSettings(0.5, true, 1)).evaluate(truths, predictions);

        assertThat(evaluation.cocoMeanAveragePrecision().getAsDouble()).isCloseTo(51.0 / 101, within(TOLERANCE));
        assertThat(evaluation.areaMeanAveragePrecision()).hasValue(1);
    }

    @Test
    void equalScoresKeepTheirInputOrder() {
        // two detections of one object with the same score: the first listed is the true positive
        List<GroundTruth> truths = List.of(new GroundTruth("a", 0, OBJECT, false), new GroundTruth("b", 0, OBJECT, false));
        List<Prediction> missFirst = List.of(prediction("c", 0, 0.5, OBJECT), prediction("a", 0, 0.5, OBJECT));
        List<Prediction> hitFirst = List.of(prediction("a", 0, 0.5, OBJECT), prediction("c", 0, 0.5, OBJECT));

        assertThat(new VocEvaluator(1).evaluate(truths, missFirst).classes().get(0).curve().precision()).containsExactly(0, 0.5);
        assertThat(new VocEvaluator(1).evaluate(truths, hitFirst).classes().get(0).curve().precision()).containsExactly(1, 0.5);
    }

    @Test
    void rejectsClassesOutOfRange() {
        VocEvaluator evaluator = new VocEvaluator(2);
        assertThatThrownBy(() -> evaluator.evaluate(List.of(new GroundTruth("a", 2, OBJECT, false)), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ground truth class id 2");
        assertThatThrownBy(() -> evaluator.evaluate(List.of(), List.of(prediction("a", 5, 0.5, OBJECT))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prediction class id 5");
        assertThatThrownBy(() -> new VocEvaluator(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EvaluationSettings(0, true, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EvaluationSettings(0.5, true, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cocoThresholdsAreNumpyLinspaceValues() {
        // np.linspace(.5, 0.95, 10).tolist(): 0.9 comes out as 0.8999999999999999
        double[] pycocotools = {0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95};
        for (int index = 0; index < pycocotools.length; index++) {
            assertThat(VocEvaluator.cocoThreshold(index)).as("threshold %d", index).isEqualTo(pycocotools[index]);
        }
    }

    @Test
    void matchingImageByImageAndConcatenatingInRankOrderGivesTheSameEvaluation() {
        // two images, a duplicate, a difficult object, a miss and an image without objects; the COCO cap of 2 per image
        // leaves out the third detection of image a
        BoundingBox second = new BoundingBox(20, 0, 30, 10);
        List<GroundTruth> truths = List.of(
                new GroundTruth("a", 0, OBJECT, false),
                new GroundTruth("a", 0, second, true),
                new GroundTruth("b", 0, OBJECT, false),
                new GroundTruth("b", 0, ELSEWHERE, false));
        List<Prediction> imageA = List.of(prediction("a", 0, 0.9, OBJECT), prediction("a", 0, 0.6, second), prediction("a", 0, 0.3, OBJECT));
        List<Prediction> imageB = List.of(prediction("b", 0, 0.8, new BoundingBox(1, 1, 10, 10)), prediction("b", 0, 0.5, second));
        List<Prediction> imageC = List.of(prediction("c", 0, 0.7, OBJECT));
        List<Prediction> all = new ArrayList<>(imageA);
        all.addAll(imageB);
        all.addAll(imageC);
        VocEvaluator evaluator = new VocEvaluator(1, new EvaluationSettings(0.5, true, 2));

        ClassMatches a = evaluator.match(0, truths.subList(0, 2), imageA);
        ClassMatches b = evaluator.match(0, truths.subList(2, 4), imageB);
        ClassMatches c = evaluator.match(0, List.of(), imageC);
        // rank order over the images: a0 (0.9), b0 (0.8), c0 (0.7), a1 (0.6), b1 (0.5), a2 (0.3)
        ClassMatches[] sources = {a, b, c, a, b, a};
        int[] ranks = {0, 0, 0, 1, 1, 2};
        double[] scores = new double[6];
        MatchOutcome[] voc = new MatchOutcome[6];
        MatchOutcome[][] coco = new MatchOutcome[ClassMatches.COCO_THRESHOLDS][6];
        for (int rank = 0; rank < 6; rank++) {
            scores[rank] = sources[rank].scores()[ranks[rank]];
            voc[rank] = sources[rank].vocOutcomes()[ranks[rank]];
            for (int threshold = 0; threshold < ClassMatches.COCO_THRESHOLDS; threshold++) {
                coco[threshold][rank] = sources[rank].cocoOutcomes()[threshold][ranks[rank]];
            }
        }
        ClassMatches concatenated = new ClassMatches(0, a.positives() + b.positives(), a.difficult() + b.difficult(), scores, voc, coco);

        assertThat(concatenated).isEqualTo(evaluator.match(0, truths, all));
        assertThat(voc).containsExactly(MatchOutcome.TRUE_POSITIVE, MatchOutcome.TRUE_POSITIVE, MatchOutcome.FALSE_POSITIVE,
                MatchOutcome.IGNORED, MatchOutcome.FALSE_POSITIVE, MatchOutcome.FALSE_POSITIVE);
        assertThat(coco[0][5]).isNull();
        assertThat(VocEvaluator.evaluateMatches(concatenated)).isEqualTo(evaluator.evaluate(truths, all).classes().get(0));
    }

    @Test
    void matchRefusesAnotherClass() {
        VocEvaluator evaluator = new VocEvaluator(2);
        assertThatThrownBy(() -> evaluator.match(0, List.of(new GroundTruth("a", 1, OBJECT, false)), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ground truth class id 1");
        assertThatThrownBy(() -> evaluator.match(1, List.of(), List.of(prediction("a", 0, 0.5, OBJECT))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prediction class id 0");
    }

    private static List<GroundTruth> threeObjects(int classId) {
        return List.of(
                new GroundTruth("a", classId, OBJECT, false),
                new GroundTruth("b", classId, OBJECT, false),
                new GroundTruth("c", classId, OBJECT, false));
    }

    private static List<Prediction> threeObjectPredictions(int classId) {
        // listed out of rank order on purpose
        return List.of(
                prediction("c", classId, 0.6, ELSEWHERE),
                prediction("b", classId, 0.7, OBJECT),
                prediction("a", classId, 0.9, OBJECT),
                prediction("b", classId, 0.8, ELSEWHERE));
    }

    private static Prediction prediction(String imageId, int classId, double score, BoundingBox box) {
        return new Prediction(imageId, new Detection(classId, score, box));
    }
}

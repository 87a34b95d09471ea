package org.yolofleet.core.eval;

import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * Average precision per class and mean average precision, the way the PASCAL VOC devkit ({@code VOCevaldet}) and
 * COCO ({@code COCOeval}) compute them.
 *
 * <p>VOC numbers, at {@link EvaluationSettings#iouThreshold()} (0.5): per class, all detections are ranked by
 * descending score (equal scores keep their input order). Each is compared with every ground truth of its class in
 * its image and takes the one of highest IoU (the first one on ties); when that IoU is at least the threshold (the
 * MATLAB devkit's {@code >=}; py-faster-rcnn's {@code voc_eval} has {@code >}), the
 * detection is ignored if that ground truth is {@code difficult}, a true positive if it is not yet matched (which
 * matches it), and a false positive (a duplicate) if it is; otherwise it is a false positive. A duplicate is a false
 * positive even when another ground truth above the threshold is still free: the devkit does not look further.
 * Recall is true positives over non-difficult ground truths, precision true over true plus false positives, and
 * ignored detections add no point to the curve (in the devkit they add a repeated point, which changes no AP). AP by
 * {@link AveragePrecision#elevenPoint} (VOC2007) and {@link AveragePrecision#area} (VOC2010+); with
 * {@link EvaluationSettings#plusOnePixel()} boxes are inclusive pixel ranges, {@code xmax - xmin + 1} wide.
 *
 * <p>COCO number, mAP@[.5:.95]: for each IoU threshold 0.50, 0.55, ... 0.95, per image and class the
 * {@link EvaluationSettings#cocoMaxDetectionsPerImage()} best detections are matched by descending score to the
 * unmatched ground truth of highest IoU at or above the threshold, preferring non-difficult ones (COCO's ignore
 * flag); a detection matched to a difficult one is ignored. AP by {@link AveragePrecision#cocoInterpolated}, averaged
 * over the thresholds; boxes are continuous (no +1).
 *
 * <p>Classes are {@code 0 .. classCount - 1}; a class with no non-difficult ground truth has undefined AP and is left
 * out of the means (see {@link Evaluation}). Instances are immutable.
 */
public final class VocEvaluator {
    private static final int COCO_THRESHOLDS = ClassMatches.COCO_THRESHOLDS;

    private final int classCount;
    private final EvaluationSettings settings;

    /** An evaluator with the devkit's settings, {@link EvaluationSettings#VOC}. */
    public VocEvaluator(int classCount) {
        this(classCount, EvaluationSettings.VOC);
    }

    public VocEvaluator(int classCount, EvaluationSettings settings) {
        if (classCount < 1) {
            throw new IllegalArgumentException("class count must be at least 1, got " + classCount);
        }
        this.classCount = classCount;
        this.settings = requireNonNull(settings, "settings");
    }

    /** Evaluates the predictions of a set of images against their ground truth. */
    public Evaluation evaluate(Collection<GroundTruth> groundTruths, Collection<Prediction> predictions) {
        requireNonNull(groundTruths, "groundTruths");
        requireNonNull(predictions, "predictions");
        List<Map<String, List<GroundTruth>>> truthsByClass = new ArrayList<>(classCount);
        List<List<Prediction>> predictionsByClass = new ArrayList<>(classCount);
        for (int classId = 0; classId < classCount; classId++) {
            truthsByClass.add(new HashMap<>());
            predictionsByClass.add(new ArrayList<>());
        }
        for (GroundTruth truth : groundTruths) {
            requireClass("ground truth", truth.classId());
            truthsByClass.get(truth.classId()).computeIfAbsent(truth.imageId(), imageId -> new ArrayList<>()).add(truth);
        }
        for (Prediction prediction : predictions) {
            requireClass("prediction", prediction.detection().classId());
            predictionsByClass.get(prediction.detection().classId()).add(prediction);
        }
        List<ClassEvaluation> classes = new ArrayList<>(classCount);
        for (int classId = 0; classId < classCount; classId++) {
            classes.add(evaluateMatches(match(classId, truthsByClass.get(classId), predictionsByClass.get(classId))));
        }
        return new Evaluation(settings, classes);
    }

    /**
     * Matches the detections of one class to its ground truths, in any number of images: the first half of
     * {@link #evaluate}, public so that an evaluator that distributes the images (matching each image's detections where
     * they are) can match with this code. Ranks the predictions by descending score, equal scores in their input order.
     *
     * @throws IllegalArgumentException when a ground truth or prediction is not of class {@code classId}
     */
    public ClassMatches match(int classId, Collection<GroundTruth> truths, Collection<Prediction> predictions) {
        requireNonNull(truths, "truths");
        requireNonNull(predictions, "predictions");
        requireClass("class", classId);
        Map<String, List<GroundTruth>> truthsByImage = new HashMap<>();
        for (GroundTruth truth : truths) {
            if (truth.classId() != classId) {
                throw new IllegalArgumentException("ground truth class id " + truth.classId() + " is not the matched class " + classId);
            }
            truthsByImage.computeIfAbsent(truth.imageId(), imageId -> new ArrayList<>()).add(truth);
        }
        for (Prediction prediction : predictions) {
            if (prediction.detection().classId() != classId) {
                throw new IllegalArgumentException("prediction class id " + prediction.detection().classId() + " is not the matched class " + classId);
            }
        }
        return match(classId, truthsByImage, predictions);
    }

    /**
     * The evaluation of one class from its matches: the tallies, the precision/recall curve and the average precision by
     * every method. The second half of {@link #evaluate}; public so that matches made elsewhere (image by image, then
     * concatenated in rank order) are turned into numbers by this one implementation.
     */
    public static ClassEvaluation evaluateMatches(ClassMatches matches) {
        requireNonNull(matches, "matches");
        MatchOutcome[] outcomes = matches.vocOutcomes();
        double[] scores = matches.scores();
        int truePositives = 0;
        int falsePositives = 0;
        int ignored = 0;
        for (MatchOutcome outcome : outcomes) {
            switch (outcome) {
                case TRUE_POSITIVE -> truePositives++;
                case FALSE_POSITIVE -> falsePositives++;
                case IGNORED -> ignored++;
            }
        }
        int positives = matches.positives();
        if (positives == 0) {
            return new ClassEvaluation(
                    matches.classId(), 0, matches.difficult(), 0, falsePositives, ignored, PrecisionRecallCurve.EMPTY,
                    OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());
        }
        PrecisionRecallCurve curve = curve(scores, outcomes, positives);
        MatchOutcome[][] cocoOutcomes = matches.cocoOutcomes();
        double cocoSum = 0;
        for (int threshold = 0; threshold < COCO_THRESHOLDS; threshold++) {
            PrecisionRecallCurve cocoCurve = curve(scores, cocoOutcomes[threshold], positives);
            cocoSum += AveragePrecision.cocoInterpolated(cocoCurve.recall(), cocoCurve.precision());
        }
        return new ClassEvaluation(
                matches.classId(), positives, matches.difficult(), truePositives, falsePositives, ignored, curve,
                OptionalDouble.of(AveragePrecision.elevenPoint(curve.recall(), curve.precision())),
                OptionalDouble.of(AveragePrecision.area(curve.recall(), curve.precision())),
                OptionalDouble.of(cocoSum / COCO_THRESHOLDS));
    }

    private ClassMatches match(int classId, Map<String, List<GroundTruth>> truthsByImage, Collection<Prediction> predictions) {
        int positives = 0;
        int difficult = 0;
        for (List<GroundTruth> truths : truthsByImage.values()) {
            for (GroundTruth truth : truths) {
                if (truth.difficult()) {
                    difficult++;
                }
                else {
                    positives++;
                }
            }
        }
        List<Prediction> ranked = new ArrayList<>(predictions);
        ranked.sort(Comparator.comparingDouble((Prediction prediction) -> prediction.detection().score()).reversed());
        double[] scores = new double[ranked.size()];
        for (int rank = 0; rank < ranked.size(); rank++) {
            scores[rank] = ranked.get(rank).detection().score();
        }
        return new ClassMatches(classId, positives, difficult, scores, matchVoc(truthsByImage, ranked), matchCoco(truthsByImage, ranked));
    }

    /** The devkit's matching of the ranked detections of one class. */
    private MatchOutcome[] matchVoc(Map<String, List<GroundTruth>> truthsByImage, List<Prediction> ranked) {
        Map<String, boolean[]> matchedByImage = new HashMap<>();
        MatchOutcome[] outcomes = new MatchOutcome[ranked.size()];
        for (int rank = 0; rank < ranked.size(); rank++) {
            Prediction prediction = ranked.get(rank);
            List<GroundTruth> truths = truthsByImage.getOrDefault(prediction.imageId(), List.of());
            int best = -1;
            double bestOverlap = 0;
            for (int index = 0; index < truths.size(); index++) {
                double overlap = iou(prediction.detection().box(), truths.get(index).box(), settings.plusOnePixel());
                if (overlap > bestOverlap) {
                    bestOverlap = overlap;
                    best = index;
                }
            }
            if (best < 0 || bestOverlap < settings.iouThreshold()) {
                outcomes[rank] = MatchOutcome.FALSE_POSITIVE;
            }
            else if (truths.get(best).difficult()) {
                outcomes[rank] = MatchOutcome.IGNORED;
            }
            else {
                boolean[] matched = matchedByImage.computeIfAbsent(prediction.imageId(), imageId -> new boolean[truths.size()]);
                if (matched[best]) {
                    outcomes[rank] = MatchOutcome.FALSE_POSITIVE;
                }
                else {
                    matched[best] = true;
                    outcomes[rank] = MatchOutcome.TRUE_POSITIVE;
                }
            }
        }
        return outcomes;
    }

    /** COCO's matching of the ranked detections of one class at each IoU 0.50:0.05:0.95; null beyond the per-image cap. */
    private MatchOutcome[][] matchCoco(Map<String, List<GroundTruth>> truthsByImage, List<Prediction> ranked) {
        // per image: the best detections, in rank order, each with its global rank
        Map<String, List<Integer>> ranksByImage = new LinkedHashMap<>();
        for (int rank = 0; rank < ranked.size(); rank++) {
            List<Integer> ranks = ranksByImage.computeIfAbsent(ranked.get(rank).imageId(), imageId -> new ArrayList<>());
            if (ranks.size() < settings.cocoMaxDetectionsPerImage()) {
                ranks.add(rank);
            }
        }
        MatchOutcome[][] outcomes = new MatchOutcome[COCO_THRESHOLDS][ranked.size()];
        for (Map.Entry<String, List<Integer>> entry : ranksByImage.entrySet()) {
            List<GroundTruth> truths = new ArrayList<>(truthsByImage.getOrDefault(entry.getKey(), List.of()));
            // COCO sorts ignored ground truths last
            truths.sort(Comparator.comparing(GroundTruth::difficult));
            List<Integer> ranks = entry.getValue();
            double[][] overlaps = new double[ranks.size()][truths.size()];
            for (int detection = 0; detection < ranks.size(); detection++) {
                BoundingBox box = ranked.get(ranks.get(detection)).detection().box();
                for (int truth = 0; truth < truths.size(); truth++) {
                    overlaps[detection][truth] = iou(box, truths.get(truth).box(), false);
                }
            }
            for (int threshold = 0; threshold < COCO_THRESHOLDS; threshold++) {
                matchCocoImage(cocoThreshold(threshold), truths, ranks, overlaps, outcomes[threshold]);
            }
        }
        return outcomes;
    }

    /** {@code COCOeval.evaluateImg}'s matching of one image's detections; outcomes stay null for detections beyond the cap. */
    private static void matchCocoImage(double threshold, List<GroundTruth> truths, List<Integer> ranks, double[][] overlaps, MatchOutcome[] outcomes) {
        boolean[] matched = new boolean[truths.size()];
        for (int detection = 0; detection < ranks.size(); detection++) {
            double bestOverlap = Math.min(threshold, 1 - 1e-10);
            int best = -1;
            for (int truth = 0; truth < truths.size(); truth++) {
                if (matched[truth]) {
                    continue;
                }
                // matched to a regular ground truth: the ignored ones that follow cannot replace it
                if (best >= 0 && !truths.get(best).difficult() && truths.get(truth).difficult()) {
                    break;
                }
                if (overlaps[detection][truth] < bestOverlap) {
                    continue;
                }
                bestOverlap = overlaps[detection][truth];
                best = truth;
            }
            MatchOutcome outcome;
            if (best < 0) {
                outcome = MatchOutcome.FALSE_POSITIVE;
            }
            else {
                matched[best] = true;
                outcome = truths.get(best).difficult() ? MatchOutcome.IGNORED : MatchOutcome.TRUE_POSITIVE;
            }
            outcomes[ranks.get(detection)] = outcome;
        }
    }

    /** The curve over the ranked detections that count; null outcomes (not evaluated) and ignored ones add no point. */
    private static PrecisionRecallCurve curve(double[] rankedScores, MatchOutcome[] outcomes, int positives) {
        int counted = 0;
        for (MatchOutcome outcome : outcomes) {
            if (outcome == MatchOutcome.TRUE_POSITIVE || outcome == MatchOutcome.FALSE_POSITIVE) {
                counted++;
            }
        }
        double[] scores = new double[counted];
        double[] recall = new double[counted];
        double[] precision = new double[counted];
        int truePositives = 0;
        int point = 0;
        for (int rank = 0; rank < outcomes.length; rank++) {
            if (outcomes[rank] == null) {
                continue;
            }
            switch (outcomes[rank]) {
                case TRUE_POSITIVE -> truePositives++;
                case FALSE_POSITIVE -> { }
                case IGNORED -> {
                    continue;
                }
            }
            scores[point] = rankedScores[rank];
            recall[point] = (double) truePositives / positives;
            precision[point] = (double) truePositives / (point + 1);
            point++;
        }
        return new PrecisionRecallCurve(scores, recall, precision);
    }

    /**
     * IoU of two boxes; with {@code plusOnePixel} as in the devkit, where a box covers the pixels {@code xmin} to
     * {@code xmax} inclusive. Boxes that do not overlap (no positive intersection width and height) have IoU 0.
     */
    static double iou(BoundingBox first, BoundingBox second, boolean plusOnePixel) {
        double extra = plusOnePixel ? 1 : 0;
        double width = Math.min(first.xmax(), second.xmax()) - Math.max(first.xmin(), second.xmin()) + extra;
        double height = Math.min(first.ymax(), second.ymax()) - Math.max(first.ymin(), second.ymin()) + extra;
        if (!(width > 0 && height > 0)) {
            return 0;
        }
        double intersection = width * height;
        double union = (first.width() + extra) * (first.height() + extra) + (second.width() + extra) * (second.height() + extra) - intersection;
        return intersection / union;
    }

    /**
     * The {@code index}-th of pycocotools' {@code iouThrs = np.linspace(.5, 0.95, 10)}: numpy computes
     * {@code 0.5 + k * ((0.95 - 0.5) / 9)} (the last one set to 0.95), which gives 0.8999999999999999, not 0.9, for
     * {@code k = 8}; the others equal their decimals. So an IoU one ulp below 0.9 matches at that threshold, as in
     * {@code COCOeval}.
     */
    static double cocoThreshold(int index) {
        return index == COCO_THRESHOLDS - 1 ? 0.95 : 0.5 + index * ((0.95 - 0.5) / (COCO_THRESHOLDS - 1));
    }

    private void requireClass(String what, int classId) {
        if (classId >= classCount) {
            throw new IllegalArgumentException(what + " class id " + classId + " is not below the class count " + classCount);
        }
    }
}

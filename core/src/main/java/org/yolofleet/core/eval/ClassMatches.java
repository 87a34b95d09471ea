package org.yolofleet.core.eval;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * What matching found for one class, before any curve is drawn: the class's ground-truth counts and, for its detections
 * in rank order, their scores and outcomes (VOC's at the settings' IoU threshold, COCO's at each of its ten).
 * {@link VocEvaluator#evaluate} is {@link VocEvaluator#match} followed by {@link VocEvaluator#evaluateMatches}; an
 * evaluator that matches image by image elsewhere (on Spark executors) concatenates the per-image matches in rank order
 * and hands them to the same {@link VocEvaluator#evaluateMatches}, so the curves and APs come from one implementation.
 * Immutable: the arrays are copied in and out.
 *
 * @param classId the class index
 * @param positives ground truths that are not {@code difficult}
 * @param difficult ground truths marked {@code difficult}
 * @param scores the detections' scores by rank, not increasing
 * @param vocOutcomes the VOC outcome of each ranked detection
 * @param cocoOutcomes for each COCO IoU threshold (0.50, 0.55, ... 0.95) the outcome of each ranked detection, null
 *         for one beyond the per-image cap ({@link EvaluationSettings#cocoMaxDetectionsPerImage()})
 */
public record ClassMatches(int classId, int positives, int difficult, double[] scores, MatchOutcome[] vocOutcomes, MatchOutcome[][] cocoOutcomes) {
    /** COCO's IoU thresholds: 0.50, 0.55, ... 0.95. */
    public static final int COCO_THRESHOLDS = 10;

    public ClassMatches {
        if (classId < 0) {
            throw new IllegalArgumentException("class id must not be negative, got " + classId);
        }
        if (positives < 0 || difficult < 0) {
            throw new IllegalArgumentException("counts must not be negative, got positives " + positives + ", difficult " + difficult);
        }
        scores = requireNonNull(scores, "scores").clone();
        vocOutcomes = requireNonNull(vocOutcomes, "vocOutcomes").clone();
        requireNonNull(cocoOutcomes, "cocoOutcomes");
        if (vocOutcomes.length != scores.length) {
            throw new IllegalArgumentException("one VOC outcome per score needed, got " + vocOutcomes.length + " for " + scores.length);
        }
        for (MatchOutcome outcome : vocOutcomes) {
            requireNonNull(outcome, "VOC outcome");
        }
        if (cocoOutcomes.length != COCO_THRESHOLDS) {
            throw new IllegalArgumentException("COCO outcomes for " + COCO_THRESHOLDS + " thresholds needed, got " + cocoOutcomes.length);
        }
        MatchOutcome[][] copies = new MatchOutcome[COCO_THRESHOLDS][];
        for (int threshold = 0; threshold < COCO_THRESHOLDS; threshold++) {
            copies[threshold] = requireNonNull(cocoOutcomes[threshold], "COCO outcomes").clone();
            if (copies[threshold].length != scores.length) {
                throw new IllegalArgumentException("one COCO outcome per score needed, got " + copies[threshold].length + " for " + scores.length);
            }
        }
        cocoOutcomes = copies;
        for (int rank = 1; rank < scores.length; rank++) {
            if (scores[rank] > scores[rank - 1]) {
                throw new IllegalArgumentException("scores must not increase by rank, got " + scores[rank - 1] + " then " + scores[rank] + " at rank " + rank);
            }
        }
    }

    /** The number of ranked detections. */
    public int size() {
        return scores.length;
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }

    @Override
    public MatchOutcome[] vocOutcomes() {
        return vocOutcomes.clone();
    }

    @Override
    public MatchOutcome[][] cocoOutcomes() {
        MatchOutcome[][] copies = new MatchOutcome[COCO_THRESHOLDS][];
        for (int threshold = 0; threshold < COCO_THRESHOLDS; threshold++) {
            copies[threshold] = cocoOutcomes[threshold].clone();
        }
        return copies;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClassMatches matches
                && classId == matches.classId
                && positives == matches.positives
                && difficult == matches.difficult
                && Arrays.equals(scores, matches.scores)
                && Arrays.equals(vocOutcomes, matches.vocOutcomes)
                && Arrays.deepEquals(cocoOutcomes, matches.cocoOutcomes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * classId + positives) + difficult) + Arrays.hashCode(scores)) + Arrays.hashCode(vocOutcomes);
    }

    @Override
    public String toString() {
        return "ClassMatches[class=" + classId + ", positives=" + positives + ", difficult=" + difficult + ", detections=" + scores.length + "]";
    }
}

package org.yolofleet.core.eval;

import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * The evaluation of one class. Counts and the curve are at the VOC IoU threshold of the {@link EvaluationSettings}.
 *
 * <p>A class with no positives (no ground truth, or only {@code difficult} ones) has no recall, so its average
 * precisions are empty (undefined, the devkit's NaN) and it is left out of every mean; its detections are still
 * counted as false positives, and its curve is {@link PrecisionRecallCurve#EMPTY}.
 *
 * @param classId the class index
 * @param positives ground truths that are not {@code difficult}
 * @param difficult ground truths marked {@code difficult}
 * @param truePositives detections matched to a not yet matched, not difficult ground truth
 * @param falsePositives detections matched to nothing, or to an already matched ground truth (duplicates)
 * @param ignored detections matched to a difficult ground truth: neither true nor false positives
 * @param curve the precision/recall curve, one point per true or false positive
 * @param elevenPointAveragePrecision VOC2007 11-point AP, empty when {@code positives == 0}
 * @param areaAveragePrecision VOC2010+ AP, empty when {@code positives == 0}
 * @param cocoAveragePrecision COCO-style AP averaged over IoU 0.50:0.05:0.95, empty when {@code positives == 0}
 */
public record ClassEvaluation(
        int classId,
        int positives,
        int difficult,
        int truePositives,
        int falsePositives,
        int ignored,
        PrecisionRecallCurve curve,
        OptionalDouble elevenPointAveragePrecision,
        OptionalDouble areaAveragePrecision,
        OptionalDouble cocoAveragePrecision) {
    public ClassEvaluation {
        if (classId < 0) {
            throw new IllegalArgumentException("class id must not be negative, got " + classId);
        }
        if (positives < 0 || difficult < 0 || truePositives < 0 || falsePositives < 0 || ignored < 0) {
            throw new IllegalArgumentException("counts must not be negative, got positives " + positives + ", difficult " + difficult
                    + ", true positives " + truePositives + ", false positives " + falsePositives + ", ignored " + ignored);
        }
        if (truePositives > positives) {
            throw new IllegalArgumentException("true positives " + truePositives + " exceed positives " + positives);
        }
        requireNonNull(curve, "curve");
        requireNonNull(elevenPointAveragePrecision, "elevenPointAveragePrecision");
        requireNonNull(areaAveragePrecision, "areaAveragePrecision");
        requireNonNull(cocoAveragePrecision, "cocoAveragePrecision");
        boolean defined = positives > 0;
        if (elevenPointAveragePrecision.isPresent() != defined || areaAveragePrecision.isPresent() != defined || cocoAveragePrecision.isPresent() != defined) {
            throw new IllegalArgumentException("average precisions are defined exactly when there are positives, got " + positives + " positives");
        }
    }

    /** Whether the class has positives, so defined average precisions. */
    public boolean hasGroundTruth() {
        return positives > 0;
    }

    /** Detections that counted: true plus false positives. */
    public int detections() {
        return truePositives + falsePositives;
    }

    /** The VOC average precision by the given method. */
    public OptionalDouble averagePrecision(AveragePrecisionMethod method) {
        return switch (method) {
            case VOC2007_ELEVEN_POINT -> elevenPointAveragePrecision;
            case VOC2010_AREA -> areaAveragePrecision;
        };
    }
}

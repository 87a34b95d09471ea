package org.yolofleet.core.eval;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * The precision/recall curve of one class: entry {@code i} is the state after the {@code i + 1} highest-scoring
 * detections that count (detections of {@code difficult} objects are left out, as they are neither true nor false
 * positives). Immutable: the arrays are copied in and out.
 *
 * @param scores the score of each ranked detection, not increasing
 * @param recall true positives so far / positives, not decreasing
 * @param precision true positives so far / detections so far
 */
public record PrecisionRecallCurve(double[] scores, double[] recall, double[] precision) {
    /** The curve of a class with no counted detection. */
    public static final PrecisionRecallCurve EMPTY = new PrecisionRecallCurve(new double[0], new double[0], new double[0]);

    public PrecisionRecallCurve {
        scores = requireNonNull(scores, "scores").clone();
        recall = requireNonNull(recall, "recall").clone();
        precision = requireNonNull(precision, "precision").clone();
        if (scores.length != recall.length || recall.length != precision.length) {
            throw new IllegalArgumentException("curve arrays must have the same length, got " + scores.length + " scores, "
                    + recall.length + " recall and " + precision.length + " precision values");
        }
        for (int index = 0; index < recall.length; index++) {
            if (!(recall[index] >= 0 && recall[index] <= 1) || !(precision[index] >= 0 && precision[index] <= 1)) {
                throw new IllegalArgumentException("recall and precision must be in [0, 1], got " + recall[index] + " and " + precision[index] + " at rank " + index);
            }
            if (index > 0 && recall[index] < recall[index - 1]) {
                throw new IllegalArgumentException("recall must not decrease, got " + recall[index - 1] + " then " + recall[index] + " at rank " + index);
            }
        }
    }

    /** The number of points, one per counted detection. */
    public int size() {
        return recall.length;
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }

    @Override
    public double[] recall() {
        return recall.clone();
    }

    @Override
    public double[] precision() {
        return precision.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PrecisionRecallCurve curve
                && Arrays.equals(scores, curve.scores)
                && Arrays.equals(recall, curve.recall)
                && Arrays.equals(precision, curve.precision);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(scores) + Arrays.hashCode(recall)) + Arrays.hashCode(precision);
    }

    @Override
    public String toString() {
        return "PrecisionRecallCurve[points=" + recall.length
                + (recall.length == 0 ? "" : ", final recall=" + recall[recall.length - 1] + ", final precision=" + precision[precision.length - 1])
                + "]";
    }
}

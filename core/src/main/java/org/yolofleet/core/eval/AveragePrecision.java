package org.yolofleet.core.eval;

import static java.util.Objects.requireNonNull;

/**
 * Average precision of a ranked precision/recall curve: {@code recall[i]} and {@code precision[i]} after the
 * {@code i + 1} highest-scoring detections, recall not decreasing. An empty curve (no detections) has AP 0.
 */
public final class AveragePrecision {
    private static final int ELEVEN_POINTS = 11;
    private static final int COCO_RECALL_POINTS = 101;

    private AveragePrecision() {}

    /**
     * VOC2007's 11-point interpolated AP: the mean over {@code t = 0, 0.1, ... 1} of the highest precision at a
     * recall {@code >= t} (0 when the curve never reaches {@code t}), with the MATLAB devkit's levels
     * ({@link #elevenPointRecallLevel}). A recall that lands exactly on a decimal level (3 of 10 objects found is a
     * recall of exactly 0.3) counts or not depending on that level's last bit, so the levels are the reference's, not
     * {@code k / 10.0}.
     */
    public static double elevenPoint(double[] recall, double[] precision) {
        requireCurve(recall, precision);
        double sum = 0;
        for (int point = 0; point < ELEVEN_POINTS; point++) {
            double recallLevel = elevenPointRecallLevel(point);
            double best = 0;
            for (int index = 0; index < recall.length; index++) {
                if (recall[index] >= recallLevel) {
                    best = Math.max(best, precision[index]);
                }
            }
            sum += best;
        }
        return sum / ELEVEN_POINTS;
    }

    /**
     * The {@code point}-th level of the VOC devkit's {@code VOCevaldet} loop {@code for t=0:0.1:1}. MATLAB's colon
     * operator (MathWorks documents it with {@code colonop.m}) does not add the step repeatedly: it builds the first
     * half from the left end ({@code 0 + k * 0.1}) and the second half from the right end ({@code 1 - (10 - k) * 0.1}),
     * so the levels are 0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1: only 0.3 lies one ulp
     * above its decimal. py-faster-rcnn's
     * {@code voc_eval.py} ({@code np.arange(0., 1.1, 0.1)}, {@code 0 + k * 0.1} throughout) has 0.6000000000000001
     * and 0.7000000000000001 as well, so a recall of exactly 0.6 or 0.7 counts at that level here and in the devkit
     * but not in {@code voc_eval.py}.
     */
    static double elevenPointRecallLevel(int point) {
        int intervals = ELEVEN_POINTS - 1;
        double step = 0.1;
        return point <= intervals / 2 ? point * step : 1 - (intervals - point) * step;
    }

    /**
     * VOC2010+ AP, the devkit's {@code VOCap} ({@code voc_ap}): with sentinels recall 0 and 1 and precision 0 at
     * both ends, make precision monotone from the right ({@code p[i] = max(p[i], p[i + 1])}), then sum
     * {@code (r[i] - r[i - 1]) * p[i]} where recall changes.
     */
    public static double area(double[] recall, double[] precision) {
        requireCurve(recall, precision);
        int length = recall.length + 2;
        double[] envelopeRecall = new double[length];
        double[] envelopePrecision = new double[length];
        envelopeRecall[length - 1] = 1;
        System.arraycopy(recall, 0, envelopeRecall, 1, recall.length);
        System.arraycopy(precision, 0, envelopePrecision, 1, precision.length);
        for (int index = length - 2; index >= 0; index--) {
            envelopePrecision[index] = Math.max(envelopePrecision[index], envelopePrecision[index + 1]);
        }
        double sum = 0;
        for (int index = 1; index < length; index++) {
            if (envelopeRecall[index] != envelopeRecall[index - 1]) {
                sum += (envelopeRecall[index] - envelopeRecall[index - 1]) * envelopePrecision[index];
            }
        }
        return sum;
    }

    /**
     * COCO's 101-point interpolated AP ({@code COCOeval.accumulate}): make precision monotone from the right, then
     * average, over recall levels {@code r = 0, 0.01, ... 1} ({@link #cocoRecallLevel}), the precision at the first
     * rank whose recall is {@code >= r}, or 0 when the curve never reaches {@code r}.
     */
    public static double cocoInterpolated(double[] recall, double[] precision) {
        requireCurve(recall, precision);
        double[] envelope = precision.clone();
        for (int index = envelope.length - 1; index > 0; index--) {
            envelope[index - 1] = Math.max(envelope[index - 1], envelope[index]);
        }
        double sum = 0;
        int rank = 0;
        for (int point = 0; point < COCO_RECALL_POINTS; point++) {
            double recallLevel = cocoRecallLevel(point);
            while (rank < recall.length && recall[rank] < recallLevel) {
                rank++;
            }
            if (rank == recall.length) {
                break;
            }
            sum += envelope[rank];
        }
        return sum / COCO_RECALL_POINTS;
    }

    /**
     * The {@code point}-th of pycocotools' {@code recThrs = np.linspace(.0, 1.00, 101)}: numpy computes
     * {@code 0 + k * 0.01} (the last one set to 1), which for ten levels (0.35, 0.41, 0.47, 0.57, 0.69, 0.7, 0.82,
     * 0.83, 0.94, 0.95) lies one ulp above {@code k / 100.0}, so a recall of exactly 0.7 (7 of 10) does not reach 0.7.
     */
    static double cocoRecallLevel(int point) {
        return point == COCO_RECALL_POINTS - 1 ? 1 : point * 0.01;
    }

    private static void requireCurve(double[] recall, double[] precision) {
        requireNonNull(recall, "recall");
        requireNonNull(precision, "precision");
        if (recall.length != precision.length) {
            throw new IllegalArgumentException("recall and precision must have the same length, got " + recall.length + " and " + precision.length);
        }
        for (int index = 1; index < recall.length; index++) {
            if (recall[index] < recall[index - 1]) {
                throw new IllegalArgumentException("recall must not decrease, got " + recall[index - 1] + " then " + recall[index] + " at rank " + index);
            }
        }
    }
}

package org.yolofleet.detect;

import org.yolofleet.core.detect.NonMaxSuppression;

/**
 * Which decoded boxes a detector reports.
 *
 * @param score the lowest score ({@code objectness * class probability}) kept, in {@code [0, 1]}
 * @param nonMaxSuppressionIou the IoU above which per-class non-maximum suppression drops the lower-scoring box, in
 *                             {@code [0, 1]}
 */
public record DetectionThresholds(double score, double nonMaxSuppressionIou) {
    /** {@code detect}'s defaults: Darknet's {@code -thresh .25} and {@code nms .45}. */
    public static final DetectionThresholds DEFAULTS = new DetectionThresholds(0.25, 0.45);

    public DetectionThresholds {
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score threshold must be in [0, 1], got " + score);
        }
        if (!(nonMaxSuppressionIou >= 0 && nonMaxSuppressionIou <= 1)) {
            throw new IllegalArgumentException("NMS IoU threshold must be in [0, 1], got " + nonMaxSuppressionIou);
        }
    }

    public NonMaxSuppression suppression() {
        return NonMaxSuppression.withIouThreshold(nonMaxSuppressionIou);
    }
}

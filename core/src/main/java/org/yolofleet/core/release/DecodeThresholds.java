package org.yolofleet.core.release;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The default thresholds of a host decoder, what {@code yolofleet detect} uses unless told otherwise.
 *
 * @param score the lowest score reported, objectness times class probability, in {@code (0, 1]}
 * @param nmsIou the IoU above which per-class non-maximum suppression drops the lower-scoring box, in {@code [0, 1]}
 */
public record DecodeThresholds(double score, double nmsIou) {
    /** Darknet's {@code detector test} defaults ({@code -thresh .25}, {@code nms .45}), also {@code detect}'s in conf/defaults.conf. */
    public static final DecodeThresholds DARKNET = new DecodeThresholds(0.25, 0.45);

    public DecodeThresholds {
        if (!(score > 0 && score <= 1)) {
            throw new IllegalArgumentException("score threshold must be in (0, 1], got " + score);
        }
        if (!(nmsIou >= 0 && nmsIou <= 1)) {
            throw new IllegalArgumentException("NMS IoU threshold must be in [0, 1], got " + nmsIou);
        }
    }

    void write(ObjectNode json) {
        json.put("score", score);
        json.put("nmsIou", nmsIou);
    }

    static DecodeThresholds read(JsonFields json) {
        double score = json.number("score");
        double nmsIou = json.number("nmsIou");
        return json.build(() -> new DecodeThresholds(score, nmsIou));
    }
}

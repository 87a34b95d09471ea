package org.yolofleet.publish;

import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.image.NetworkInput;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.detect.Detector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The faithfulness check of one export: on the same preprocessed val images, the export in the runtime that reads it
 * computes the raw region tensor the checkpoint computes in DL4J, within a relative tolerance, and decoding + NMS give
 * the same detections.
 *
 * <p>The error of an element is {@code |candidate - reference| / max(1, |reference|)}: relative where the network's
 * outputs are large (the logits of confident cells), absolute near zero, where a relative error means nothing. Two
 * detection lists are the same when every detection of one has a partner in the other (same class, IoU at least
 * {@value #SAME_BOX_IOU}, scores within {@value #SAME_SCORE}); a detection without one is tolerated only when its score
 * is within {@value #SAME_SCORE} of the threshold, where a rounding difference may keep it on one side and drop it on
 * the other.
 *
 * @param tolerance  the largest error allowed (the 1e-4 for FP32 exports)
 * @param thresholds the decoding thresholds detections are compared at
 */
public record RuntimeParity(double tolerance, DetectionThresholds thresholds) {
    static final double SAME_BOX_IOU = 0.999;
    static final double SAME_SCORE = 1e-4;
    static final double SAME_CORNER_PIXELS = 0.01;

    public RuntimeParity {
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("the tolerance must be positive, got " + tolerance);
        }
        requireNonNull(thresholds, "thresholds");
    }

    /** Compares {@code candidate} (the export, named {@code format}) with {@code reference} on {@code images}. */
    public ParityResult compare(String format, Detector reference, Detector candidate, List<ValImage> images) {
        requireNonNull(format, "format");
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to compare on");
        }
        double worst = -1;
        String worstImage = "";
        int worstIndex = -1;
        float worstReference = 0;
        float worstCandidate = 0;
        String detectionDifference = "";
        int detections = 0;
        for (ValImage image : images) {
            NetworkInput input = reference.model().preprocessor().preprocess(image.image());
            float[] expected = reference.rawOutput(input.pixels());
            float[] actual = candidate.rawOutput(input.pixels());
            if (expected.length != actual.length) {
                return ParityResult.shapeMismatch(format, image.key(), expected.length, actual.length);
            }
            for (int index = 0; index < expected.length; index++) {
                double error = Math.abs((double) actual[index] - expected[index]) / Math.max(1.0, Math.abs(expected[index]));
                if (!(error <= worst)) {
                    worst = Double.isNaN(error) ? Double.POSITIVE_INFINITY : error;
                    worstImage = image.key();
                    worstIndex = index;
                    worstReference = expected[index];
                    worstCandidate = actual[index];
                }
            }
            List<Detection> referenceDetections = reference.model().decoder().detect(expected, input.letterbox(), thresholds.score(), thresholds.suppression());
            List<Detection> candidateDetections = candidate.model().decoder().detect(actual, input.letterbox(), thresholds.score(), thresholds.suppression());
            detections += referenceDetections.size();
            if (detectionDifference.isEmpty()) {
                detectionDifference = difference(image.key(), referenceDetections, candidateDetections);
            }
        }
        return new ParityResult(format, images.size(), worst, worstImage, reference.model().describeOutputIndex(worstIndex), worstReference,
                worstCandidate, detections, detectionDifference, tolerance);
    }

    /** Empty when both lists are the same detections, else what differs first. */
    String difference(String image, List<Detection> reference, List<Detection> candidate) {
        String missing = unmatched(reference, candidate);
        if (!missing.isEmpty()) {
            return image + ": the checkpoint detects " + missing + " and the export does not";
        }
        String extra = unmatched(candidate, reference);
        return extra.isEmpty() ? "" : image + ": the export detects " + extra + " and the checkpoint does not";
    }

    private String unmatched(List<Detection> these, List<Detection> others) {
        List<Detection> open = new ArrayList<>(others);
        for (Detection detection : these) {
            Detection partner = null;
            for (Detection other : open) {
                if (other.classId() == detection.classId() && Math.abs(other.score() - detection.score()) <= SAME_SCORE
                        && sameBox(other.box(), detection.box())) {
                    partner = other;
                    break;
                }
            }
            if (partner != null) {
                open.remove(partner);
            } else if (detection.score() - thresholds.score() > SAME_SCORE) {
                return String.format(Locale.ROOT, "class %d score %.5f at %s", detection.classId(), detection.score(), detection.box());
            }
        }
        return "";
    }

    private static boolean sameBox(BoundingBox one, BoundingBox other) {
        return one.iou(other) >= SAME_BOX_IOU || Math.max(Math.max(Math.abs(one.xmin() - other.xmin()), Math.abs(one.ymin() - other.ymin())),
                Math.max(Math.abs(one.xmax() - other.xmax()), Math.abs(one.ymax() - other.ymax()))) <= SAME_CORNER_PIXELS;
    }
}

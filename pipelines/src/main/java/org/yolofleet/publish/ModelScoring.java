package org.yolofleet.publish;

import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.eval.EvaluationSettings;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.core.eval.VocEvaluator;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.detect.Detector;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Scores a model on a val split with the evaluator training validates with: VOC mAP@0.5 ({@link VocEvaluator}, IoU
 * 0.5, continuous coordinates, no +1 pixel) over detections in the val image's pixels. Any {@link Detector} — the
 * checkpoint in DL4J, an export in ONNX Runtime or TensorFlow, the release the channel points at now — is scored the
 * same way; a model whose input size differs from the shards' sees each image through its own preprocessing (the one
 * image path), and its boxes come back in the image's pixels, so models of different sizes compare on the same truth.
 *
 * @param thresholds the score under which detections are dropped (low, for mAP: {@code train.validation.threshold})
 *                   and the per-class NMS IoU
 */
public record ModelScoring(DetectionThresholds thresholds) {
    public ModelScoring {
        requireNonNull(thresholds, "thresholds");
    }

    /** The detector's evaluation on every image of {@code split}. */
    public Evaluation evaluate(Detector detector, ValSplit split) {
        List<GroundTruth> truths = new ArrayList<>();
        List<Prediction> predictions = new ArrayList<>();
        split.forEach(image -> {
            truths.addAll(image.truths());
            for (Detection detection : detector.detect(image.image(), thresholds)) {
                predictions.add(new Prediction(image.key(), detection));
            }
        });
        return new VocEvaluator(detector.model().classCount(), EvaluationSettings.VOC.withPlusOnePixel(false)).evaluate(truths, predictions);
    }
}

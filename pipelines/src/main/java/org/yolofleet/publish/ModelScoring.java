package org.yolofleet.publish;

import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.eval.EvaluationSettings;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.core.eval.VocEvaluator;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.detect.Detector;
import org.yolofleet.ml.eval.DistributedEvaluator;
import org.yolofleet.ml.eval.SplitEvaluator;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Scores a model on a val split with the evaluator training validates with: VOC mAP@0.5 ({@link VocEvaluator}, IoU
 * 0.5, continuous coordinates, no +1 pixel) over detections in the val image's pixels. Any {@link Detector} — the
 * checkpoint in DL4J, an export in ONNX Runtime or TensorFlow, the release the channel points at now — is scored the
 * same way; a model whose input size differs from the shards' sees each image through its own preprocessing (the one
 * image path), and its boxes come back in the image's pixels, so models of different sizes compare on the same truth.
 * The detectors run on the driver; the mAP of a split larger than {@code train.validation.distributed-above} images is
 * computed by {@link DistributedEvaluator} on the executors ({@link SplitEvaluator}: the same number as on the driver).
 *
 * @param thresholds the score under which detections are dropped (low, for mAP: {@code train.validation.threshold})
 *                   and the per-class NMS IoU
 * @param evaluator  where the mAP is computed, by the split's size
 */
public record ModelScoring(DetectionThresholds thresholds, SplitEvaluator evaluator) {
    public ModelScoring {
        requireNonNull(thresholds, "thresholds");
        requireNonNull(evaluator, "evaluator");
    }

    /** Scoring with the mAP computed on the driver, whatever the split's size. */
    public ModelScoring(DetectionThresholds thresholds) {
        this(thresholds, SplitEvaluator.onDriver());
    }

    /** The detector's evaluation on every image of {@code split}. */
    public Evaluation evaluate(Detector detector, ValSplit split) {
        List<GroundTruth> truths = new ArrayList<>();
        List<Prediction> predictions = new ArrayList<>();
        long[] images = {0};
        split.forEach(image -> {
            images[0]++;
            truths.addAll(image.truths());
            for (Detection detection : detector.detect(image.image(), thresholds)) {
                predictions.add(new Prediction(image.key(), detection));
            }
        });
        return evaluator.evaluate(detector.model().classCount(), EvaluationSettings.VOC.withPlusOnePixel(false), images[0], truths, predictions);
    }
}

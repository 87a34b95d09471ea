package org.yolofleet.train;

import org.yolofleet.core.eval.ClassEvaluation;
import org.yolofleet.core.eval.Evaluation;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One epoch's numbers, as {@code metrics.json} of its checkpoint records them.
 *
 * @param iteration         iterations (minibatch steps of one worker) done after this epoch: the schedule's position
 * @param learningRate      the rate at the epoch's last averaging round
 * @param loss              the mean training loss of the epoch's averaging rounds (dl4j-spark's score)
 * @param mapElevenPoint    val mAP@0.5, VOC2007 11-point
 * @param mapArea           val mAP@0.5, VOC2010+ area under the precision envelope
 * @param mapCoco           val mAP@[.5:.95]
 * @param classAveragePrecision per-class AP@0.5 (area), in class order; NaN for a class without val objects
 * @param imagesPerSecond   training images per second of the epoch (wall clock, validation excluded)
 */
public record EpochMetrics(int epoch, long iteration, double learningRate, double loss, double mapElevenPoint, double mapArea,
                           double mapCoco, List<Double> classAveragePrecision, long images, double trainSeconds,
                           double imagesPerSecond, double validationSeconds, long seed) {
    public EpochMetrics {
        if (epoch < 1 || iteration < 0) {
            throw new IllegalArgumentException("epoch must be positive and iteration not negative");
        }
        classAveragePrecision = List.copyOf(requireNonNull(classAveragePrecision, "classAveragePrecision"));
    }

    /** An epoch's numbers from its training and its val evaluation (undefined mAPs and APs as NaN). */
    public static EpochMetrics of(int epoch, long iteration, double learningRate, double loss, Evaluation evaluation, long images,
                                  double trainSeconds, double validationSeconds, long seed) {
        return new EpochMetrics(epoch, iteration, learningRate, loss,
                evaluation.elevenPointMeanAveragePrecision().orElse(Double.NaN),
                evaluation.areaMeanAveragePrecision().orElse(Double.NaN),
                evaluation.cocoMeanAveragePrecision().orElse(Double.NaN),
                evaluation.classes().stream().map(ClassEvaluation::areaAveragePrecision).map(ap -> ap.orElse(Double.NaN)).toList(),
                images, trainSeconds, trainSeconds > 0 ? images / trainSeconds : 0, validationSeconds, seed);
    }
}

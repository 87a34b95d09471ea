package org.yolofleet.train;

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
}

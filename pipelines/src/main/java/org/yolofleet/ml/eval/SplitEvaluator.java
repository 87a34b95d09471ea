package org.yolofleet.ml.eval;

import org.apache.spark.sql.SparkSession;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.eval.EvaluationSettings;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.core.eval.VocEvaluator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Scores one split's detections (train's validation, publish's gates) where it is cheapest: a split of at most
 * {@code distributedAbove} images with {@link VocEvaluator} on the driver, a larger one with {@link DistributedEvaluator}
 * (per-image matching on the executors) when a Spark session is given. Both paths list equal scores in
 * {@link DistributedEvaluator#RANKING} order, so the number does not depend on which one scored it (equal to 1e-9).
 * Instances are immutable.
 */
public final class SplitEvaluator {
    private final int distributedAbove;
    private final Optional<SparkSession> spark;

    private SplitEvaluator(int distributedAbove, Optional<SparkSession> spark) {
        if (distributedAbove < 0) {
            throw new IllegalArgumentException("the size above which evaluation is distributed must not be negative, got " + distributedAbove);
        }
        this.distributedAbove = distributedAbove;
        this.spark = spark;
    }

    /** Every split scored on the driver (no Spark session: tests, the laptop benchmark). */
    public static SplitEvaluator onDriver() {
        return new SplitEvaluator(Integer.MAX_VALUE, Optional.empty());
    }

    /** Splits of more than {@code images} images scored with {@link DistributedEvaluator} on {@code spark}; 0 = every split. */
    public static SplitEvaluator distributedAbove(int images, SparkSession spark) {
        return new SplitEvaluator(images, Optional.of(requireNonNull(spark, "spark")));
    }

    /** Whether a split of {@code images} images is scored on the executors. */
    public boolean distributes(long images) {
        return spark.isPresent() && images > distributedAbove;
    }

    /**
     * The evaluation of the detections of a split of {@code images} images against its ground truth, per class and mean,
     * as {@link VocEvaluator#evaluate} computes it with equal scores in {@link DistributedEvaluator#RANKING} order.
     */
    public Evaluation evaluate(int classCount, EvaluationSettings settings, long images, Collection<GroundTruth> truths,
                               Collection<Prediction> predictions) {
        requireNonNull(settings, "settings");
        requireNonNull(truths, "truths");
        requireNonNull(predictions, "predictions");
        if (distributes(images)) {
            SparkSession session = spark.orElseThrow();
            return new DistributedEvaluator(classCount, settings).evaluate(DetectionFrame.of(session, List.copyOf(predictions)),
                    GroundTruthFrame.of(session, List.copyOf(truths)));
        }
        List<Prediction> ranked = new ArrayList<>(predictions);
        ranked.sort(DistributedEvaluator.RANKING);
        return new VocEvaluator(classCount, settings).evaluate(truths, ranked);
    }
}

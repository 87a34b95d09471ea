package org.yolofleet.publish;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.detect.Dl4jDetector;
import org.yolofleet.ml.eval.SplitEvaluator;
import org.yolofleet.model.TinyYoloGraphBuilder;
import org.yolofleet.model.TrainingHyperparameters;
import org.yolofleet.testing.LocalSpark;
import org.yolofleet.train.TrainFixtures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.yolofleet.ml.eval.EvaluationAssertions.assertSameEvaluation;

/**
 * The gates' scoring below and above {@code train.validation.distributed-above}: the val split's mAP computed on the
 * driver or on the executors is the same, so the regression gate decides the same way.
 */
class ModelScoringTest {
    private static final ModelSpec SPEC = TinyYoloV2.spec(TrainFixtures.CLASSES.size(), TinyYoloV2.VOC_ANCHORS, TrainFixtures.SIZE,
            TrainFixtures.SIZE, ResizeMode.LETTERBOX);
    private static final DetectionThresholds THRESHOLDS = new DetectionThresholds(0.005, 0.45);
    private static final int IMAGES = 23;

    @TempDir
    static Path shards;
    private static ValSplit split;
    private static SparkSession spark;

    @BeforeAll
    static void writeTheValSplit() throws IOException {
        TrainFixtures.writeShards(shards, 0, IMAGES, 7);
        split = ValSplit.of(shards.toUri().toString(), new Configuration());
        spark = LocalSpark.session();
    }

    @Test
    void theRegressionGateDecidesTheSameBelowAndAboveTheDistributedSize() {
        ModelScoring driver = new ModelScoring(THRESHOLDS, SplitEvaluator.distributedAbove(IMAGES, spark));
        ModelScoring executors = new ModelScoring(THRESHOLDS, SplitEvaluator.distributedAbove(IMAGES - 1, spark));
        assertThat(driver.evaluator().distributes(IMAGES)).isFalse();
        assertThat(executors.evaluator().distributes(IMAGES)).isTrue();

        try (Dl4jDetector candidate = detector(11); Dl4jDetector current = detector(12)) {
            Evaluation candidateBelow = driver.evaluate(candidate, split);
            Evaluation currentBelow = driver.evaluate(current, split);
            Evaluation candidateAbove = executors.evaluate(candidate, split);
            Evaluation currentAbove = executors.evaluate(current, split);

            assertThat(candidateBelow.classes().stream().mapToInt(evaluation -> evaluation.truePositives() + evaluation.falsePositives()).sum())
                    .as("an untrained network detects at threshold 0.005: there is something to score").isPositive();
            assertSameEvaluation(candidateAbove, candidateBelow);
            assertSameEvaluation(currentAbove, currentBelow);
            assertSameEvaluation(new ModelScoring(THRESHOLDS).evaluate(candidate, split), candidateBelow);

            RegressionGate gate = new RegressionGate(0);
            RegressionGate.Decision below = gate.decide(candidateBelow, TrainFixtures.CLASSES,
                    Optional.of(new RegressionGate.Current("v1", TrainFixtures.CLASSES, currentBelow)));
            RegressionGate.Decision above = gate.decide(candidateAbove, TrainFixtures.CLASSES,
                    Optional.of(new RegressionGate.Current("v1", TrainFixtures.CLASSES, currentAbove)));
            assertThat(above.passed()).isEqualTo(below.passed());
            assertThat(above.reason()).isEqualTo(below.reason());
            assertThat(above.report()).isEqualTo(below.report());
        }
    }

    /** An untrained network of the fixture's classes, seeded. */
    private static Dl4jDetector detector(long seed) {
        return new Dl4jDetector(TinyYoloGraphBuilder.forSpec(SPEC)
                .hyperparameters(new TrainingHyperparameters(TrainingHyperparameters.Optimizer.ADAM, 0.001, 0.9, 0.0005, seed)).build(),
                SPEC, List.copyOf(TrainFixtures.CLASSES), "seed " + seed);
    }
}

package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.eval.ClassEvaluation;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.ml.eval.SplitEvaluator;
import org.yolofleet.model.TinyYoloGraphBuilder;
import org.yolofleet.model.TrainingHyperparameters;
import org.yolofleet.testing.LocalSpark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.yolofleet.ml.eval.EvaluationAssertions.assertSameEvaluation;

/** The driver's validation, streamed in batches: what it scores must not depend on how the val split is sharded. */
class ValidatorTest {
    private static final ModelSpec SPEC = TinyYoloV2.spec(TrainFixtures.CLASSES.size(), TinyYoloV2.VOC_ANCHORS, TrainFixtures.SIZE,
            TrainFixtures.SIZE, ResizeMode.LETTERBOX);
    private static ComputationGraph network;

    @BeforeAll
    static void buildNetwork() {
        network = TinyYoloGraphBuilder.forSpec(SPEC)
                .hyperparameters(new TrainingHyperparameters(TrainingHyperparameters.Optimizer.ADAM, 0.001, 0.9, 0.0005, 11)).build();
    }

    @Test
    void theScoreDoesNotDependOnTheShardsTheBatchesAreCutFrom(@TempDir Path directory) throws IOException {
        TrainConfig.Validation settings = new TrainConfig.Validation(0.005, 0.45, 8);
        Validator oneShard = validator(directory.resolve("one"), 23, settings);
        Validator sevenEach = validator(directory.resolve("seven"), 7, settings);

        assertThat(oneShard.images()).isEqualTo(23);
        assertThat(sevenEach.images()).isEqualTo(23);
        assertThat(sevenEach.batches().batches()).isEqualTo(3);
        Evaluation whole = oneShard.evaluate(network);
        assertThat(whole.classes().stream().mapToInt(evaluation -> evaluation.truePositives() + evaluation.falsePositives()).sum())
                .as("an untrained network still detects (at threshold 0.005), so there is something to compare").isPositive();
        assertThat(whole.classes().stream().mapToInt(ClassEvaluation::positives).sum()).isPositive();
        assertThat(sevenEach.evaluate(network)).isEqualTo(whole);
        assertThat(oneShard.evaluate(network)).as("the same again: nothing is consumed by an epoch").isEqualTo(whole);
    }

    @Test
    void belowAndAboveTheDistributedSizeTheValMapIsTheSame(@TempDir Path directory) throws IOException {
        // the val split's 23 images: at distributed-above = 23 scored on the driver, at 22 on the executors
        TrainConfig.Validation settings = new TrainConfig.Validation(0.005, 0.45, 8);
        List<String> shards = shards(directory, 7);
        SplitEvaluator driver = SplitEvaluator.distributedAbove(23, LocalSpark.session());
        SplitEvaluator executors = SplitEvaluator.distributedAbove(22, LocalSpark.session());
        assertThat(driver.distributes(23)).isFalse();
        assertThat(executors.distributes(23)).isTrue();

        Evaluation below = Validator.load(shards, new Configuration(), SPEC, settings, driver).evaluate(network);
        Evaluation above = Validator.load(shards, new Configuration(), SPEC, settings, executors).evaluate(network);

        assertThat(below.classes().stream().mapToInt(evaluation -> evaluation.truePositives() + evaluation.falsePositives()).sum())
                .as("detections to score").isPositive();
        assertSameEvaluation(above, below);
    }

    @Test
    void anEmptySplitHasNoImages() {
        Validator empty = Validator.load(List.of(), new Configuration(), SPEC, new TrainConfig.Validation(0.005, 0.45, 16));
        assertThat(empty.images()).isZero();
        assertThat(empty.batches().batches()).isZero();
        assertThat(Validator.emptyValSplit("file:/shards")).hasMessageContaining("file:/shards has no val samples")
                .hasMessageContaining("yolofleet.prepare.split.val-fraction");
    }

    /** 23 val samples written {@code perShard} to a shard, loaded as the train stage loads them. */
    private static Validator validator(Path directory, int perShard, TrainConfig.Validation settings) throws IOException {
        return Validator.load(shards(directory, perShard), new Configuration(), SPEC, settings);
    }

    /** 23 val samples written {@code perShard} to a shard; their URIs in order. */
    private static List<String> shards(Path directory, int perShard) throws IOException {
        TrainFixtures.writeShards(directory, 0, 23, perShard);
        try (Stream<Path> files = Files.list(directory.resolve("shards/val"))) {
            return files.sorted().map(path -> path.toUri().toString()).toList();
        }
    }
}

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
import org.yolofleet.model.TinyYoloGraphBuilder;
import org.yolofleet.model.TrainingHyperparameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

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
    void anEmptySplitHasNoImages() {
        Validator empty = Validator.load(List.of(), new Configuration(), SPEC, new TrainConfig.Validation(0.005, 0.45, 16));
        assertThat(empty.images()).isZero();
        assertThat(empty.batches().batches()).isZero();
        assertThat(Validator.emptyValSplit("file:/shards")).hasMessageContaining("file:/shards has no val samples")
                .hasMessageContaining("yolofleet.prepare.split.val-fraction");
    }

    /** 23 val samples written {@code perShard} to a shard, loaded as the train stage loads them. */
    private static Validator validator(Path directory, int perShard, TrainConfig.Validation settings) throws IOException {
        TrainFixtures.writeShards(directory, 0, 23, perShard);
        List<String> shards;
        try (Stream<Path> files = Files.list(directory.resolve("shards/val"))) {
            shards = files.sorted().map(path -> path.toUri().toString()).toList();
        }
        return Validator.load(shards, new Configuration(), SPEC, settings);
    }
}

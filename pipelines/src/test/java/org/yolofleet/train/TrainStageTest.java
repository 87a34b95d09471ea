package org.yolofleet.train;

import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.model.ModelCheckpoint;
import org.yolofleet.testing.LocalSpark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainStageTest {
    /** Enough to learn from: the run whose loss and mAP are asserted, and the next night's warm start from it. */
    @TempDir
    static Path shards;

    /** 64 train samples (8 minibatches of 8) and 8 val: for the tests of resume, divergence, schedules and masters, which
     *  assert what a run does rather than how well it learns, at a third of the time an epoch of {@link #shards} takes. */
    @TempDir
    static Path small;

    @BeforeAll
    static void writeShards() throws Exception {
        TrainFixtures.writeShards(shards, 160, 24, 80);
        TrainFixtures.writeShards(small, 64, 8, 32);
    }

    private static SparkSession spark() {
        return LocalSpark.session();
    }

    /** The system's clock, set to start at {@code start}: names a run by that time, and measures as the system's does. */
    private static Clock startingAt(String start) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), Instant.parse(start)));
    }

    private static Optional<CompletedRun> completedRun(Path file) {
        try {
            return CompletedRun.read(FileSystem.getLocal(spark().sparkContext().hadoopConfiguration()), new org.apache.hadoop.fs.Path(file.toUri()));
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private static ErrorCode code(Throwable failure) {
        return ((YoloFleetException) failure).code();
    }

    @Test
    void lossFallsAndValidationMapRisesOnLocalTwoAndTheNextNightsRunStartsFromTheBest(@TempDir Path runs) {
        String runsRoot = runs.toUri().toString();
        Map<String, Object> settings = Map.of("runs-root", runsRoot, "epochs", 8, "master.workers", 2, "master.averaging-frequency", 5,
                "optimizer.burn-in", 10);
        TrainConfig config = TrainConfig.from(TrainFixtures.config(shards.toUri().toString(), "", settings));
        TrainSummary summary = new TrainStage(spark(), config, startingAt("2026-12-01T02:00:00Z")).run();
        System.out.println(summary.text());
        Path run = runs.resolve("20261201T020000Z");
        assertThat(summary.output()).endsWith("/20261201T020000Z");

        // measured (region loss, objectness prior 0.01, Adam's state carried between rounds): loss 16.3 after epoch 1,
        // 5.7 after epoch 8 (2.9x); val mAP@0.5 0.00 after epoch 1, best 0.29 (0.17-0.20 before the updater state was
        // kept). Parameter averaging with Adam makes single epochs spike, so the best of the last two epochs is compared
        EpochMetrics first = summary.epochs().get(0);
        double lastTwo = Math.min(summary.last().loss(), summary.epochs().get(summary.epochs().size() - 2).loss());
        assertThat(lastTwo).isLessThan(first.loss() / 2);
        assertThat(summary.epochs().get(0).mapArea()).isLessThan(0.05);
        assertThat(summary.best().mapArea()).isGreaterThan(0.15);
        assertThat(summary.epochs()).allSatisfy(epoch -> assertThat(epoch.imagesPerSecond()).isPositive());
        assertThat(run.resolve("checkpoints/epoch-008/model.zip")).exists();
        assertThat(run.resolve("best.json")).content().contains("\"epoch\" : " + summary.best().epoch());
        ComputationGraph loaded = new CheckpointStore(run.toUri().toString(), spark().sparkContext().hadoopConfiguration())
                .model(summary.best().epoch());
        assertThat(loaded.numParams()).isPositive();
        // the workers' Adam moments come back with the parameters (saveUpdater): a resumed run continues them
        assertThat(loaded.getUpdater().getStateViewArray().norm2Number().doubleValue()).isPositive();
        // the checkpoint names its network and classes itself: detect and publish read it as it is
        ModelCheckpoint.Contents checkpoint = ModelCheckpoint.read(run.resolve("checkpoints/epoch-008/model.zip"));
        assertThat(checkpoint.classNames()).isEqualTo(config.classes());
        assertThat(checkpoint.spec().width()).isEqualTo(config.modelInput().width());
        assertThat(checkpoint.network().params()).isEqualTo(new CheckpointStore(run.toUri().toString(),
                spark().sparkContext().hadoopConfiguration()).model(8).params());
        assertThat(run.resolve("report/loss.png")).isNotEmptyFile();
        assertThat(run.resolve("report/map.png")).isNotEmptyFile();
        assertThat(run.resolve("checkpoints/epoch-008/pr.png")).isNotEmptyFile();
        // local mode: the executors are the driver's JVM, so their report is the driver's
        assertThat(summary.executorRuntimes()).containsExactly(ShardBatchLoader.executorRuntime());

        // the complete run is the runs root's latest, and is not resumed: that would train nothing
        CompletedRun latest = completedRun(runs.resolve("latest.json")).orElseThrow();
        assertThat(latest.runId()).isEqualTo("20261201T020000Z");
        assertThat(latest.run()).isEqualTo(summary.output());
        assertThat(latest.bestEpoch()).isEqualTo(summary.best().epoch());
        assertThat(latest.bestMapArea()).isEqualTo(summary.best().mapArea());
        assertThat(latest.input()).as("publish finds the val split through it").isEqualTo(config.input());
        assertThat(latest.bestCheckpoint()).endsWith(String.format("/checkpoints/epoch-%03d/model.zip", summary.best().epoch()));
        assertThat(completedRun(run.resolve("run.json"))).contains(latest);
        assertThatThrownBy(() -> new TrainStage(spark(), config.withRunId("20261201T020000Z").withResume(true), Clock.systemUTC()).run())
                .isInstanceOf(YoloFleetException.class)
                .satisfies(failure -> assertThat(code(failure)).isEqualTo(ErrorCode.NOTHING_TO_TRAIN))
                .hasMessageContaining("is complete");

        // the next night: a new run, warm-started from the first one's best checkpoint (init.mode = previous), so its
        // first epoch is already where the first run ended (measured: loss 6.10 and val mAP@0.5 0.27 after its epoch 1,
        // against 16.3 and 0.0007 after the first run's epoch 1 from scratch)
        TrainConfig nextNight = config.withEpochs(1).withInitialisation(
                new TrainConfig.Initialisation(TrainConfig.InitialisationMode.PREVIOUS, "", 0, 0));
        TrainSummary next = new TrainStage(spark(), nextNight, startingAt("2026-12-02T02:00:00Z")).run();
        System.out.println(next.text());
        assertThat(next.output()).endsWith("/20261202T020000Z");
        assertThat(next.epochs().get(0).loss()).isLessThan(first.loss() / 2);
        assertThat(next.epochs().get(0).mapArea()).isGreaterThan(0.1);
        assertThat(runs.resolve("latest.json")).content().contains("\"runId\" : \"20261202T020000Z\"");
    }

    @Test
    void anEmptyValSplitIsRefusedAtStartNamingTheRemedy(@TempDir Path input, @TempDir Path run) throws Exception {
        TrainFixtures.writeShards(input, 8, 0, 80);
        TrainConfig config = TrainConfig.from(TrainFixtures.config(input.toUri().toString(), run.toUri().toString(), Map.of("epochs", 1)));

        assertThatThrownBy(() -> new TrainStage(spark(), config, Clock.systemUTC()).run())
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("has no val samples")
                .hasMessageContaining("yolofleet.prepare.split.val-fraction");
        assertThat(run.resolve("checkpoints")).doesNotExist();
    }

    @Test
    void aRunKilledAfterEpochOneResumesWithEpochsTwoAndThreeAndTheScheduleContinues(@TempDir Path runs) {
        Map<String, Object> settings = Map.of("runs-root", runs.toUri().toString(), "run-id", "night-1", "epochs", 3, "master.workers", 2,
                "master.collect-stats", true, "optimizer.burn-in", 8, "optimizer.learning-rate", 0.0005, "master.averaging-frequency", 4);
        // 64 samples in minibatches of 8 = 8 per epoch, 2 workers x averaging frequency 4: one round of 4 iterations an
        // epoch, 12 iterations in 3 epochs; a schedule restarted at the resume would end at iteration 8, inside burn-in
        String input = small.toUri().toString();
        TrainConfig config = TrainConfig.from(TrainFixtures.config(input, "", settings));
        assertThatThrownBy(() -> new TrainStage(spark(), config, Clock.systemUTC(), SimulatedKill.afterEpoch(1)).run())
                .isInstanceOf(SimulatedKill.Killed.class);
        Path run = runs.resolve("night-1");
        CheckpointStore store = new CheckpointStore(run.toUri().toString(), spark().sparkContext().hadoopConfiguration());
        EpochMetrics killed = store.history(1).last().orElseThrow();
        long iterationsPerEpoch = killed.iteration();
        assertThat(run.resolve("checkpoints/epoch-001/model.zip")).exists();
        assertThat(run.resolve("checkpoints/epoch-002")).doesNotExist();
        // a killed run is not complete: the runs root names no run
        assertThat(run.resolve("run.json")).doesNotExist();
        assertThat(runs.resolve("latest.json")).doesNotExist();

        assertThatThrownBy(() -> new TrainStage(spark(), config, Clock.systemUTC()).run())
                .isInstanceOf(YoloFleetException.class)
                .satisfies(failure -> assertThat(code(failure)).isEqualTo(ErrorCode.OUTPUT_EXISTS));
        // resuming to an epoch already done would train nothing
        assertThatThrownBy(() -> new TrainStage(spark(), config.withResume(true).withEpochs(1), Clock.systemUTC()).run())
                .isInstanceOf(YoloFleetException.class)
                .satisfies(failure -> assertThat(code(failure)).isEqualTo(ErrorCode.NOTHING_TO_TRAIN))
                .hasMessageContaining("1 epochs done and yolofleet.train.epochs = 1");

        TrainSummary resumed = new TrainStage(spark(), config.withResume(true), Clock.systemUTC()).run();
        assertThat(resumed.resumedFrom()).isEqualTo(1);
        assertThat(resumed.epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
        assertThat(resumed.epochs()).extracting(EpochMetrics::iteration)
                .containsExactly(iterationsPerEpoch, 2 * iterationsPerEpoch, 3 * iterationsPerEpoch);
        // past burn-in the rate is the base rate: the schedule did not restart at iteration 0
        assertThat(resumed.last().learningRate()).isEqualTo(0.0005);
        assertThat(resumed.epochs().get(0)).isEqualTo(killed);
        assertThat(run.resolve("checkpoints/epoch-003/metrics.json")).exists();
        assertThat(run.resolve("report/spark-training-stats.html")).content().contains("<html");
        assertThat(Files.exists(run.resolve(".dl4j-export"))).isFalse();
        assertThat(runs.resolve("latest.json")).content().contains("\"runId\" : \"night-1\"");
        assertThatThrownBy(() -> new TrainStage(spark(), config.withResume(true).withEpochs(5), Clock.systemUTC()).run())
                .isInstanceOf(YoloFleetException.class)
                .satisfies(failure -> assertThat(code(failure)).isEqualTo(ErrorCode.NOTHING_TO_TRAIN))
                .hasMessageContaining("run night-1")
                .hasMessageContaining("is complete");
    }

    @Test
    void shardsOfOtherClassesAreRefusedNamingBoth(@TempDir Path run) {
        TrainConfig config = TrainConfig.from(TrainFixtures.config(shards.toUri().toString(), run.toUri().toString(), Map.of())
                .withValue("yolofleet.classes", com.typesafe.config.ConfigValueFactory.fromIterable(java.util.List.of("red", "green"))));
        assertThatThrownBy(() -> new TrainStage(spark(), config, Clock.systemUTC()).run())
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("[red, green, blue]").hasMessageContaining("[red, green]");
    }

    @Test
    void aDivergingRunStopsNamingTheLearningRateAndKeepsTheLastGoodCheckpoint(@TempDir Path run) {
        String input = small.toUri().toString();
        TrainConfig good = TrainConfig.from(TrainFixtures.config(input, run.toUri().toString(), Map.of("epochs", 3, "master.workers", 2)));
        assertThatThrownBy(() -> new TrainStage(spark(), good, Clock.systemUTC(), SimulatedKill.afterEpoch(1)).run())
                .isInstanceOf(SimulatedKill.Killed.class);

        TrainConfig diverging = TrainConfig.from(TrainFixtures.config(input, run.toUri().toString(),
                Map.of("epochs", 3, "resume", true, "master.workers", 2, "optimizer.learning-rate", 10, "optimizer.burn-in", 0)));
        assertThatThrownBy(() -> new TrainStage(spark(), diverging, Clock.systemUTC()).run())
                .isInstanceOf(YoloFleetException.class)
                .satisfies(failure -> assertThat(((YoloFleetException) failure).code()).isEqualTo(ErrorCode.TRAINING_DIVERGED))
                .hasMessageContaining("yolofleet.train.optimizer.learning-rate")
                .hasMessageContaining("epoch-001");
        CheckpointStore store = new CheckpointStore(run.toUri().toString(), spark().sparkContext().hadoopConfiguration());
        assertThat(store.latestEpoch()).contains(1);
        assertThat(Double.isFinite(store.model(1).params().sumNumber().doubleValue())).isTrue();
    }

    @Test
    void aRunKilledInsideAnEpochResumesFromTheMidEpochCheckpointWithTheRestOfThatEpoch(@TempDir Path run) {
        // 64 samples in minibatches of 8 = 8 per epoch; 2 workers x averaging frequency 2 = 2 rounds of 4 per epoch
        Map<String, Object> settings = Map.of("epochs", 2, "master.workers", 2, "master.averaging-frequency", 2,
                "checkpoint-minutes", 0.0001);
        TrainConfig config = TrainConfig.from(TrainFixtures.config(small.toUri().toString(), run.toUri().toString(), settings));
        assertThatThrownBy(() -> new TrainStage(spark(), config, Clock.systemUTC(), SimulatedKill.afterRounds(1)).run())
                .isInstanceOf(SimulatedKill.Killed.class);
        CheckpointStore store = new CheckpointStore(run.toUri().toString(), spark().sparkContext().hadoopConfiguration());
        assertThat(store.latestEpoch()).isEmpty();
        EpochProgress killedAt = store.progress().orElseThrow();
        assertThat(killedAt.epoch()).isEqualTo(1);
        assertThat(killedAt.batchesDone()).isEqualTo(4);
        assertThat(killedAt.iteration()).isEqualTo(2);
        assertThat(killedAt.images()).isEqualTo(32);

        TrainSummary resumed = new TrainStage(spark(), config.withResume(true), Clock.systemUTC()).run();
        assertThat(resumed.epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2);
        assertThat(resumed.epochs()).extracting(EpochMetrics::iteration).containsExactly(4L, 8L);
        assertThat(resumed.epochs()).extracting(EpochMetrics::images).containsExactly(64L, 64L);
        assertThat(store.progress()).isEmpty();
        assertThat(run.resolve("checkpoints/epoch-002/model.zip")).exists();
    }

    @Test
    void multiScaleRoundsTrainAtASmallerGridAndTheLastEpochAtTheNetworkSize(@TempDir Path run) {
        Map<String, Object> settings = Map.of("epochs", 2, "master.workers", 2, "multi-scale.sizes", java.util.List.of(64),
                "multi-scale.full-size-epochs", 1, "optimizer.policy", "cosine", "optimizer.burn-in", 0, "master.averaging-frequency", 2);
        TrainConfig config = TrainConfig.from(TrainFixtures.config(small.toUri().toString(), run.toUri().toString(), settings));
        TrainSummary summary = new TrainStage(spark(), config, Clock.systemUTC()).run();
        System.out.println(summary.text());
        assertThat(summary.text()).contains("multi-scale: each averaging round at a width drawn from [64], the last epoch at 96 x 96");
        // epoch 1 on the 2 x 2 grid, epoch 2 back on the 3 x 3 grid, validated at 96 after both
        assertThat(summary.epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2);
        assertThat(summary.epochs()).allSatisfy(epoch -> assertThat(epoch.loss()).isFinite().isPositive());
        CheckpointStore store = new CheckpointStore(run.toUri().toString(), spark().sparkContext().hadoopConfiguration());
        assertThat(store.model(2).params()).isNotEqualTo(store.model(1).params());
        // the cosine spans the run: 64 samples / batch 8 = 8 minibatches an epoch, 2 workers x averaging frequency 2:
        // rounds of 2 iterations, 8 iterations in 2 epochs; the last round starts at iteration 6 of 0..7
        assertThat(summary.last().iteration()).isEqualTo(8);
        assertThat(summary.last().learningRate()).isCloseTo(0.001 * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * 6 / 7))),
                org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void gradientSharingTrainsOnLocalTwoOverLoopback(@TempDir Path run) {
        Map<String, Object> settings = Map.of("epochs", 2, "master.type", "shared", "master.workers", 2,
                "master.shared.network-mask", "127.0.0.0/8", "master.shared.controller-address", "127.0.0.1");
        TrainConfig config = TrainConfig.from(TrainFixtures.config(small.toUri().toString(), run.toUri().toString(), settings));
        TrainSummary summary = new TrainStage(spark(), config, Clock.systemUTC()).run();
        System.out.println(summary.text());
        assertThat(summary.text()).contains("gradient sharing, 2 workers");
        assertThat(summary.epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2);
        assertThat(summary.epochs()).allSatisfy(epoch -> assertThat(epoch.loss()).isFinite().isPositive());
        CheckpointStore store = new CheckpointStore(run.toUri().toString(), spark().sparkContext().hadoopConfiguration());
        assertThat(store.model(2).params()).as("the workers' shared updates reach the driver's model").isNotEqualTo(store.model(1).params());
    }
}

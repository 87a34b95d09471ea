package org.yolofleet.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.yolofleet.config.ModelInput;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The averaging rounds of a training run. A round is {@code workers x averaging-frequency} minibatches of the epoch's
 * order: the learning rate set from the schedule at the run's position, the input size drawn by multi-scale, the
 * minibatches fitted through dl4j-spark, the round's loss checked for divergence ({@link #DIVERGENCE_FACTOR}); when
 * {@code train.checkpoint-minutes} have passed since the last checkpoint a mid-epoch checkpoint is written. The run's
 * position (iteration) and its lowest loss carry from epoch to epoch.
 */
final class TrainingRounds {
    /**
     * An averaging round whose loss exceeds the run's lowest so far (an epoch's mean from the history, or a round's) by
     * this factor has diverged, as has a non-finite one. Parameter averaging makes single rounds spike by about ten
     * times; an exploding run passes a thousand within a few rounds.
     */
    static final double DIVERGENCE_FACTOR = 1000;

    /** One epoch's rounds done: the epoch's totals (as a finished {@link EpochProgress}) and the last round's rate. */
    record Trained(EpochProgress progress, double learningRate) {
        Trained {
            requireNonNull(progress, "progress");
        }
    }

    private final TrainConfig config;
    private final JavaSparkContext context;
    private final SparkComputationGraph network;
    private final ShardBatchLoader loader;
    private final CheckpointStore store;
    private final Clock clock;
    private final int workers;
    private final int roundSize;
    private final long totalIterations;
    private final Duration checkpointEvery;
    private final TrainingObserver observer;
    private long iteration;
    private double lowestLoss;
    private Instant lastCheckpoint;
    private int roundsDone;

    /**
     * @param batchesPerEpoch minibatches in an epoch (the schedule's length is the run's epochs of them)
     * @param iteration       the run's position to start from (0, or a resumed run's)
     * @param lowestLoss      the lowest epoch loss of the run so far (infinity for a new run)
     * @param observer        told after every round
     */
    TrainingRounds(TrainConfig config, JavaSparkContext context, SparkComputationGraph network, ShardBatchLoader loader,
                   CheckpointStore store, Clock clock, int workers, int batchesPerEpoch, long iteration, double lowestLoss,
                   TrainingObserver observer) {
        this.config = requireNonNull(config, "config");
        this.context = requireNonNull(context, "context");
        this.network = requireNonNull(network, "network");
        this.loader = requireNonNull(loader, "loader");
        this.store = requireNonNull(store, "store");
        this.clock = requireNonNull(clock, "clock");
        this.workers = workers;
        this.roundSize = workers * config.master().averagingFrequency();
        this.totalIterations = runIterations(config.epochs(), batchesPerEpoch, workers, config.master().averagingFrequency());
        this.checkpointEvery = Duration.ofMillis(Math.round(config.checkpointMinutes() * 60_000));
        this.observer = requireNonNull(observer, "observer");
        this.iteration = iteration;
        this.lowestLoss = lowestLoss;
        this.lastCheckpoint = clock.instant();
    }

    /**
     * The iterations (minibatch steps of one worker) of a run of {@code epochs} as its rounds count them: the length of
     * the learning-rate schedule. A round of {@code b} minibatches over {@code workers} is {@code ceil(b / workers)}.
     */
    static long runIterations(int epochs, int batchesPerEpoch, int workers, int averagingFrequency) {
        int roundSize = workers * averagingFrequency;
        return (long) epochs * ((batchesPerEpoch / roundSize) * iterations(roundSize, workers)
                + iterations(batchesPerEpoch % roundSize, workers));
    }

    /**
     * Trains the epoch's {@code order} from where {@code continued} (a mid-epoch checkpoint of this epoch) left off, or
     * from its start.
     *
     * @throws YoloFleetException {@link ErrorCode#TRAINING_DIVERGED} when a round's loss is not finite or exploded
     */
    Trained epoch(int epoch, List<ShardBatch> order, Optional<EpochProgress> continued) {
        Instant epochStart = clock.instant();
        double lossSum = continued.map(EpochProgress::lossSum).orElse(0.0);
        int rounds = continued.map(EpochProgress::rounds).orElse(0);
        long images = continued.map(EpochProgress::images).orElse(0L);
        double secondsBefore = continued.map(EpochProgress::trainSeconds).orElse(0.0);
        double rate = 0;
        for (int first = continued.map(EpochProgress::batchesDone).orElse(0); first < order.size(); first += roundSize) {
            List<ShardBatch> round = order.subList(first, Math.min(order.size(), first + roundSize));
            rate = config.optimisation().schedule().rateAt(iteration, totalIterations);
            double loss = fit(round, rate, config.multiScale().inputFor(config.modelInput(), config.seed(), epoch, config.epochs(), first / roundSize));
            if (!Double.isFinite(loss) || loss > DIVERGENCE_FACTOR * lowestLoss) {
                throw diverged(epoch, rate, loss);
            }
            lowestLoss = Math.min(lowestLoss, loss);
            lossSum += loss;
            rounds++;
            roundsDone++;
            iteration += iterations(round.size(), workers);
            images += round.stream().mapToLong(ShardBatch::samples).sum();
            int done = first + round.size();
            if (!checkpointEvery.isZero() && done < order.size()
                    && Duration.between(lastCheckpoint, clock.instant()).compareTo(checkpointEvery) >= 0) {
                store.writeProgress(network.getNetwork(), new EpochProgress(epoch, done, iteration, lossSum, rounds, images, secondsSince(epochStart, secondsBefore)));
                lastCheckpoint = clock.instant();
            }
            observer.roundTrained(epoch, roundsDone);
        }
        return new Trained(new EpochProgress(epoch, order.size(), iteration, lossSum, rounds, images, secondsSince(epochStart, secondsBefore)), rate);
    }

    /** An epoch's checkpoint was written: the next mid-epoch checkpoint is due {@code checkpoint-minutes} from now. */
    void checkpointed() {
        lastCheckpoint = clock.instant();
    }

    /** One round at {@code rate} and {@code size}; its loss. */
    private double fit(List<ShardBatch> round, double rate, ModelInput size) {
        network.getNetwork().setLearningRate(rate);
        ShardBatchLoader roundLoader = loader.atSize(size.width(), size.height());
        List<String> paths = round.stream().map(ShardBatch::path).toList();
        network.fitPaths(context.parallelize(paths, Math.min(workers, paths.size())), roundLoader);
        return config.master().type() == TrainConfig.MasterType.SHARED
                // dl4j-spark's gradient sharing reports no score: the round's first minibatch, on the driver
                ? driverLoss(network.getNetwork(), roundLoader, paths.get(0))
                : network.getScore();
    }

    private double secondsSince(Instant epochStart, double secondsBefore) {
        return secondsBefore + Duration.between(epochStart, clock.instant()).toMillis() / 1000.0;
    }

    private static double driverLoss(ComputationGraph network, ShardBatchLoader loader, String path) {
        try {
            return network.score(loader.load(path));
        } catch (IOException failure) {
            throw new UncheckedIOException("cannot read the minibatch " + path, failure);
        }
    }

    /** The iterations (minibatch steps of one worker) of a round of {@code batches} minibatches over {@code workers}. */
    private static long iterations(int batches, int workers) {
        return (batches + workers - 1) / workers;
    }

    private YoloFleetException diverged(int epoch, double rate, double loss) {
        String kept = store.latestEpoch().map(last -> "the last good checkpoint, " + store.checkpoint(last) + ", is kept")
                .orElse("no checkpoint was written yet");
        String what = Double.isFinite(loss)
                ? String.format(Locale.ROOT, "the loss rose to %.4g, over %.0f times its lowest so far (%.4g),", loss, DIVERGENCE_FACTOR, lowestLoss)
                : "the loss is " + loss;
        return new YoloFleetException(ErrorCode.TRAINING_DIVERGED, "training diverged in epoch " + epoch + " at iteration " + iteration
                + ": " + what + " at learning rate " + rate + ". The learning rate is the likely cause: lower "
                + "yolofleet.train.optimizer.learning-rate or lengthen burn-in; " + kept);
    }
}

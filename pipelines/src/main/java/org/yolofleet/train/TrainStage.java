package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.deeplearning4j.spark.stats.StatsUtils;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yolofleet.augment.ShardManifest;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.ml.eval.SplitEvaluator;
import org.yolofleet.model.LabelCounts;
import org.yolofleet.model.Nd4jRuntime;
import org.yolofleet.model.RuntimeReport;
import org.yolofleet.model.TinyYoloGraphBuilder;
import org.yolofleet.spark.DistinctAccumulator;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.SerializableHadoopConfiguration;
import org.yolofleet.stage.DatasetManifest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

import static java.util.Objects.requireNonNull;

/**
 * The {@code train} stage: augment shards in, a training run out ({@code <run>/checkpoints/epoch-NNN/},
 * {@code best.json}, {@code summary.txt}, and when it completes {@code run.json} and then {@code <runs-root>/latest.json}:
 * {@link RunLayout}, {@link CompletedRun}). A run that would train no epoch fails ({@link ErrorCode#NOTHING_TO_TRAIN}).
 * Training is dl4j-spark's {@code ParameterAveragingTrainingMaster} over {@link ShardBatch} paths read by
 * {@link ShardBatchLoader} on the executors. Each epoch is a seeded shuffle of the minibatches (seed, epoch), trained in
 * averaging rounds ({@link TrainingRounds}); then validation ({@link Validator}) and an atomic checkpoint. A non-finite or exploding loss stops the run ({@link ErrorCode#TRAINING_DIVERGED}) with the
 * last good checkpoint kept.
 */
public final class TrainStage {
    public static final String SUMMARY_FILE = "summary.txt";
    /** What the run's network started from, written when the run starts, so a resumed run still reports it. */
    public static final String START_FILE = "start.txt";
    private static final Logger LOG = LoggerFactory.getLogger(TrainStage.class);

    private final SparkSession spark;
    private final TrainConfig config;
    private final Clock clock;
    private final TrainingObserver observer;

    /** {@code clock} also names a run under the runs root that has no {@code train.run-id}: its start time. */
    public TrainStage(SparkSession spark, TrainConfig config, Clock clock) {
        this(spark, config, clock, TrainingObserver.NONE);
    }

    public TrainStage(SparkSession spark, TrainConfig config, Clock clock, TrainingObserver observer) {
        this.spark = requireNonNull(spark, "spark");
        this.config = requireNonNull(config, "config");
        this.clock = requireNonNull(clock, "clock");
        this.observer = requireNonNull(observer, "observer");
    }

    public TrainSummary run() {
        Instant started = clock.instant();
        RunLayout layout = RunLayout.of(config, started);
        LOG.info("train: run {} at {}", layout.runId(), layout.run());
        RuntimeReport runtime = Nd4jRuntime.applyFastConfiguration();
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hadoop = context.hadoopConfiguration();
        FileSystem inputFileSystem = HadoopFiles.fileSystem(config.input(), hadoop);
        ShardManifest manifest = ShardManifest.read(inputFileSystem, config.input());
        checkManifest(manifest);
        if (shardUris(manifest, "val").isEmpty()) {
            throw Validator.emptyValSplit(config.input());
        }
        ModelSpec configured = config.region().applyTo(TinyYoloV2.spec(config.classes().size(), anchors(manifest, hadoop),
                config.modelInput().width(), config.modelInput().height(), config.modelInput().resizeMode()));

        Start start = begin(new CheckpointStore(layout.run(), hadoop), layout, configured, hadoop);
        ComputationGraph network = start.network();
        ModelSpec spec = networkSpec(network, configured);
        CheckpointStore store = new CheckpointStore(layout.run(), hadoop, spec, config.classes());
        TrainingHistory history = start.history();
        int resumedFrom = start.resumedFrom();
        Optional<EpochProgress> progress = start.progress();

        int batchSize = config.master().batchSizePerWorker();
        SerializableHadoopConfiguration serializableHadoop = new SerializableHadoopConfiguration(hadoop);
        List<String> trainShards = shardUris(manifest, "train");
        List<String> valShards = shardUris(manifest, "val");
        if (trainShards.isEmpty()) {
            throw new YoloFleetException(ErrorCode.BAD_DATASET, config.input() + " has no train shards");
        }
        TrainingSet trainingSet = index(context, trainShards, serializableHadoop, batchSize, spec);
        List<ShardBatch> batches = trainingSet.batches();
        Validator validator = Validator.load(valShards, hadoop, spec, config.validation(),
                SplitEvaluator.distributedAbove(config.validation().distributedAbove(), spark));

        int workers = config.master().workers() > 0 ? config.master().workers() : Math.max(1, context.defaultParallelism());
        String exportDirectory = config.master().exportDirectory().isBlank()
                ? new Path(store.run(), ".dl4j-export").toString() : config.master().exportDirectory();
        TrainingMaster<?, ?> master = trainingMaster(config.master(), workers, exportDirectory, config.seed());
        // one task per worker: on a cluster whose executors have one core each, every executor reports its own runtime
        List<String> executorRuntimes = context.parallelize(IntStream.range(0, workers).boxed().toList(), workers)
                .map(ignored -> ShardBatchLoader.executorRuntime()).distinct().collect().stream().sorted().toList();
        executorRuntimes.forEach(line -> LOG.info("train: ND4J on {}", line));
        SparkComputationGraph sparkNetwork = new SparkComputationGraph(context, network, master);
        DistinctAccumulator trainedOn = new DistinctAccumulator();
        context.sc().register(trainedOn, "yolofleet.train.executors");
        ShardBatchLoader loader = new ShardBatchLoader(serializableHadoop, spec.width(), spec.height(), spec.classCount()).recordingTo(trainedOn);

        long iteration = progress.map(EpochProgress::iteration).orElse(history.last().map(EpochMetrics::iteration).orElse(0L));
        double lowestLoss = history.epochs().stream().mapToDouble(EpochMetrics::loss).filter(Double::isFinite).min().orElse(Double.POSITIVE_INFINITY);
        TrainingRounds rounds = new TrainingRounds(config, context, sparkNetwork, loader, store, clock, workers, batches.size(), iteration,
                lowestLoss, observer);
        int sinceBest = 0;
        boolean stoppedEarly = false;
        try {
            for (int epoch = resumedFrom + 1; epoch <= config.epochs(); epoch++) {
                List<ShardBatch> order = new ArrayList<>(batches);
                Collections.shuffle(order, new Random(config.seed() * 1_000_003L + epoch));
                int epochNumber = epoch;
                TrainingRounds.Trained trained = rounds.epoch(epoch, order, progress.filter(unfinished -> unfinished.epoch() == epochNumber));
                network = sparkNetwork.getNetwork();
                double previousBest = history.best().map(EpochMetrics::mapArea).orElse(Double.NEGATIVE_INFINITY);
                history = recordEpoch(epoch, trained, network, validator, history, store);
                rounds.checkpointed();
                EpochMetrics metrics = history.last().orElseThrow();
                observer.epochCheckpointed(metrics);
                sinceBest = metrics.mapArea() >= previousBest ? 0 : sinceBest + 1;
                if (config.patience() > 0 && sinceBest >= config.patience()) {
                    LOG.info("train: no better val mAP for {} epochs: stopping early", sinceBest);
                    stoppedEarly = true;
                    break;
                }
            }
            if (config.master().collectStats()) {
                writeStats(store, sparkNetwork);
            }
        } finally {
            HadoopFiles.delete(HadoopFiles.fileSystem(exportDirectory, hadoop), new Path(exportDirectory));
        }
        if (history.epochs().isEmpty()) {
            throw new YoloFleetException(ErrorCode.NOTHING_TO_TRAIN, "no epoch was trained: " + layout.run() + " is already past epoch " + config.epochs());
        }
        TrainSummary summary = new TrainSummary(layout.run(), config.classes(), history.epochs(), history.best().orElseThrow(),
                trainingSet.samples(), validator.images(), trainingSet.labels(), config.master().type(), workers, batchSize, stoppedEarly, resumedFrom,
                Duration.between(started, clock.instant()).toMillis() / 1000.0, runtime, executorRuntimes, List.copyOf(trainedOn.value()),
                config.multiScale().describe(config.modelInput()), start.startedFrom());
        HadoopFiles.write(store.fileSystem(), new Path(store.run(), SUMMARY_FILE), summary.text().getBytes(StandardCharsets.UTF_8));
        complete(layout, store, history, start.startedFrom(), hadoop);
        return summary;
    }

    /**
     * The spec of the network being trained: the head it carries. A warm start (or a resumed run) trains with its
     * checkpoint's anchors and loss, so validation decodes with those and the new checkpoints' cfg states them.
     */
    private static ModelSpec networkSpec(ComputationGraph network, ModelSpec configured) {
        ModelSpec spec = TinyYoloGraphBuilder.withNetworkRegion(network, configured);
        if (!spec.region().equals(configured.region())) {
            LOG.info("train: the network keeps its own anchors and region loss ({}), not the dataset's anchors and train.region ({})",
                    spec.region(), configured.region());
        }
        return spec;
    }

    /** Validates an epoch's network and checkpoints it with its metrics, its PR chart, the best epoch and the curves. */
    private TrainingHistory recordEpoch(int epoch, TrainingRounds.Trained trained, ComputationGraph network, Validator validator,
                                        TrainingHistory history, CheckpointStore store) {
        EpochProgress done = trained.progress();
        Instant validationStart = clock.instant();
        Evaluation evaluation = validator.evaluate(network);
        double validationSeconds = Duration.between(validationStart, clock.instant()).toMillis() / 1000.0;
        EpochMetrics metrics = EpochMetrics.of(epoch, done.iteration(), trained.learningRate(), done.lossSum() / done.rounds(),
                evaluation, done.images(), done.trainSeconds(), validationSeconds, config.seed());
        TrainingHistory updated = history.plus(metrics);
        store.write(epoch, network, updated, Map.of(TrainReport.PR_PNG, TrainReport.precisionRecallChart(epoch, evaluation, config.classes())));
        store.writeBest(updated.best().orElseThrow());
        store.deleteProgress();
        writeCurves(store, updated);
        LOG.info("train: epoch {}/{} loss {} val mAP@0.5 {} (11-point {}), {} images/s, lr {}", epoch, config.epochs(),
                String.format("%.4f", metrics.loss()), String.format("%.4f", metrics.mapArea()),
                String.format("%.4f", metrics.mapElevenPoint()), String.format("%.1f", metrics.imagesPerSecond()), metrics.learningRate());
        return updated;
    }

    /**
     * Marks the run complete: {@code <run>/run.json}, then (the last write of the run) {@code <runs-root>/latest.json}, so
     * {@code latest.json} names this run only once everything it points at is written.
     */
    private void complete(RunLayout layout, CheckpointStore store, TrainingHistory history, String startedFrom, Configuration hadoop) {
        EpochMetrics best = history.best().orElseThrow();
        CompletedRun completed = new CompletedRun(layout.runId(), layout.run(), new Path(store.checkpoint(best.epoch()), CheckpointStore.MODEL).toString(),
                best.epoch(), best.mapArea(), history.last().orElseThrow().epoch(), config.classes(), clock.instant().toString(), config.input(),
                startedFrom);
        completed.write(store.fileSystem(), layout.runRecord());
        layout.latest().ifPresent(latest -> {
            completed.write(HadoopFiles.fileSystem(latest.toString(), hadoop), latest);
            LOG.info("train: {} names run {} (best epoch {}, val mAP@0.5 {})", latest, layout.runId(), best.epoch(),
                    String.format("%.4f", best.mapArea()));
        });
    }

    /**
     * Where the run starts: a fresh network, or the latest complete (or mid-epoch) checkpoint when resuming; and what the
     * run's network started from before its first epoch, in words.
     */
    private record Start(ComputationGraph network, TrainingHistory history, int resumedFrom, Optional<EpochProgress> progress, String startedFrom) {
    }

    private Start begin(CheckpointStore store, RunLayout layout, ModelSpec spec, Configuration hadoop) {
        var latest = store.latestEpoch();
        Optional<CompletedRun> completed = CompletedRun.read(store.fileSystem(), layout.runRecord());
        if (config.resume() && completed.isPresent()) {
            throw new YoloFleetException(ErrorCode.NOTHING_TO_TRAIN, "run " + layout.runId() + " at " + layout.run() + " is complete ("
                    + completed.get().epochs() + " epochs, best epoch " + completed.get().bestEpoch() + ", finished " + completed.get().finishedAt()
                    + "): --resume continues an unfinished run only. Start a new run (without --resume and --run-id; "
                    + "yolofleet.train.init.mode = previous starts it from this run's best checkpoint)");
        }
        Optional<EpochProgress> progress = config.resume()
                ? store.progress().filter(unfinished -> unfinished.epoch() == latest.orElse(0) + 1) : Optional.empty();
        if (config.resume() && (latest.isPresent() || progress.isPresent())) {
            int resumedFrom = latest.orElse(0);
            if (resumedFrom >= config.epochs()) {
                throw new YoloFleetException(ErrorCode.NOTHING_TO_TRAIN, "run " + layout.runId() + " at " + layout.run() + " has " + resumedFrom
                        + " epochs done and yolofleet.train.epochs = " + config.epochs() + ": resuming would train zero epochs."
                        + " Raise --epochs (the epochs a resumed run counts include those done)");
            }
            TrainingHistory history = latest.isPresent() ? store.history(resumedFrom) : TrainingHistory.empty();
            LOG.info("train: resuming after epoch {}{} (iteration {})", resumedFrom,
                    progress.map(unfinished -> " and " + unfinished.batchesDone() + " minibatches of epoch " + unfinished.epoch()).orElse(""),
                    progress.map(EpochProgress::iteration).orElse(history.last().map(EpochMetrics::iteration).orElse(0L)));
            String startedFrom = HadoopFiles.readIfExists(store.fileSystem(), new Path(store.run(), START_FILE))
                    .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse("unknown (a run started before runs recorded it)");
            return new Start(progress.isPresent() ? store.progressModel() : store.model(resumedFrom), history, resumedFrom, progress, startedFrom);
        }
        if ((latest.isPresent() || store.progress().isPresent() || completed.isPresent()) && !config.overwrite()) {
            throw new YoloFleetException(ErrorCode.OUTPUT_EXISTS, layout.run() + " already holds checkpoints"
                    + latest.map(epoch -> " up to epoch " + epoch).orElse("") + ": resume with --resume (yolofleet.train.resume = true)"
                    + " or replace with --overwrite");
        }
        TrainConfig.Initialisation initialisation = ModelInitializer.resolvePrevious(config.initialisation(), latestRun(layout, hadoop),
                layout.runsRoot().orElse(""), config.classes());
        if (config.initialisation().mode() == TrainConfig.InitialisationMode.PREVIOUS) {
            LOG.info("train: warm start from the latest complete run: {}", initialisation.mode() == TrainConfig.InitialisationMode.CHECKPOINT
                    ? initialisation.weights() : "none yet, so from scratch (yolofleet.train.init.if-no-previous = scratch)");
        }
        Optional<ServedRun> served = servedRun(layout, hadoop);
        initialisation = ModelInitializer.resolveReleased(initialisation, served, config.classes());
        String startedFrom = startedFrom(initialisation, served);
        LOG.info("train: run {} starts from {}", layout.runId(), startedFrom);
        // loaded before the run directory is cleared: with --overwrite the warm start may be this directory's own checkpoint
        ComputationGraph network = ModelInitializer.initialise(spec, initialisation, config.optimisation().hyperparameters(config.seed()),
                config.optimisation().batchNormDecay(), hadoop);
        HadoopFiles.delete(store.fileSystem(), new Path(store.run(), CheckpointStore.DIRECTORY));
        HadoopFiles.delete(store.fileSystem(), layout.runRecord());
        HadoopFiles.write(store.fileSystem(), new Path(store.run(), START_FILE), startedFrom.getBytes(StandardCharsets.UTF_8));
        return new Start(network, TrainingHistory.empty(), 0, Optional.empty(), startedFrom);
    }

    /** For {@code train.init.mode = released}: the run behind the release the channel serves, verified; else empty. */
    private Optional<ServedRun> servedRun(RunLayout layout, Configuration hadoop) {
        if (config.initialisation().mode() != TrainConfig.InitialisationMode.RELEASED) {
            return Optional.empty();
        }
        TrainConfig.Released released = config.initialisation().released();
        return ServedRun.find(released, released.trusted(System.getenv(), hadoop), layout.runsRoot().orElseThrow(), hadoop);
    }

    /** What the network starts from, in words ({@code initialisation} resolved), for the log, the summary and {@code run.json}. */
    private String startedFrom(TrainConfig.Initialisation initialisation, Optional<ServedRun> served) {
        TrainConfig.Initialisation configured = config.initialisation();
        String frozen = initialisation.freezeLayers() > 0 ? ", first " + initialisation.freezeLayers() + " convolutional layers frozen" : "";
        return switch (configured.mode()) {
            case SCRATCH -> "scratch (seed " + config.seed() + ")" + frozen;
            case DARKNET -> "darknet weights " + initialisation.weights()
                    + (initialisation.layers() > 0 ? " (first " + initialisation.layers() + " layers)" : "") + frozen;
            case CHECKPOINT -> "checkpoint " + initialisation.weights() + frozen;
            case PREVIOUS -> initialisation.mode() == TrainConfig.InitialisationMode.CHECKPOINT
                    ? "the latest complete run's best checkpoint " + initialisation.weights() + frozen
                    : "scratch (seed " + config.seed() + "): no complete run yet" + frozen;
            case RELEASED -> served.map(run -> run.describe() + ": its best checkpoint " + initialisation.weights() + frozen)
                    .orElse("scratch (seed " + config.seed() + "): " + configured.released().describe() + " serves no release yet" + frozen);
        };
    }

    /** The latest complete run under the runs root ({@code latest.json}), if there is a runs root and a complete run in it. */
    private static Optional<CompletedRun> latestRun(RunLayout layout, Configuration hadoop) {
        return layout.latest().flatMap(latest -> CompletedRun.read(HadoopFiles.fileSystem(latest.toString(), hadoop), latest));
    }

    /** The train split as minibatches (byte ranges of the shards), indexed on the executors, with its label counts. */
    private record TrainingSet(List<ShardBatch> batches, LabelCounts labels, long samples) {
    }

    private static TrainingSet index(JavaSparkContext context, List<String> trainShards, SerializableHadoopConfiguration hadoop, int batchSize,
                                     ModelSpec spec) {
        int width = spec.width();
        int height = spec.height();
        int classes = spec.classCount();
        List<ShardIndex> indexes = context.parallelize(trainShards, Math.min(trainShards.size(), Math.max(1, context.defaultParallelism())))
                .map(shard -> ShardIndex.read(shard, hadoop.get(), batchSize, width, height, classes))
                .collect();
        List<ShardBatch> batches = new ArrayList<>();
        LabelCounts labels = LabelCounts.NONE;
        long samples = 0;
        for (ShardIndex index : indexes) {
            batches.addAll(index.batches());
            labels = labels.plus(index.labelCounts());
            samples += index.samples();
        }
        if (labels.collisions() > 0) {
            LOG.warn("train: {} of {} training objects share a grid cell with a larger one and are not trained on", labels.collisions(), labels.objects());
        }
        return new TrainingSet(batches, labels, samples);
    }

    /** dl4j-spark's training master as {@code train.master} says. */
    private static TrainingMaster<?, ?> trainingMaster(TrainConfig.Master master, int workers, String exportDirectory, long seed) {
        int batchSize = master.batchSizePerWorker();
        if (master.type() == TrainConfig.MasterType.SHARED) {
            if (System.getProperty(TrainConfig.AERON_UNBLOCK_TIMEOUT_PROPERTY) == null) {
                System.setProperty(TrainConfig.AERON_UNBLOCK_TIMEOUT_PROPERTY, TrainConfig.AERON_UNBLOCK_TIMEOUT);
            }
            TrainConfig.Shared shared = master.shared();
            VoidConfiguration.VoidConfigurationBuilder network = VoidConfiguration.builder().unicastPort(shared.port());
            if (!shared.networkMask().isBlank()) {
                network.networkMask(shared.networkMask());
            }
            if (!shared.controllerAddress().isBlank()) {
                network.controllerAddress(shared.controllerAddress());
            }
            return new SharedTrainingMaster.Builder(network.build(), workers, new AdaptiveThresholdAlgorithm(shared.threshold()), batchSize)
                    .batchSizePerWorker(batchSize)
                    .workersPerNode(1)
                    .workerPrefetchNumBatches(master.prefetchBatches())
                    .repartitionData(master.repartition())
                    .storageLevel(master.storageLevel())
                    .exportDirectory(exportDirectory)
                    .rngSeed(seed)
                    .collectTrainingStats(master.collectStats())
                    .build();
        }
        return new ParameterAveragingTrainingMaster.Builder(workers, batchSize)
                .batchSizePerWorker(batchSize)
                // the Builder's default is false: every round would start Adam's moments (and momentum) from zero, so
                // each round's first steps would be about learning-rate x sign(gradient) for every weight; with true
                // the workers' updater state is averaged and broadcast like the parameters
                .saveUpdater(true)
                .averagingFrequency(master.averagingFrequency())
                .workerPrefetchNumBatches(master.prefetchBatches())
                .repartionData(master.repartition())
                .storageLevel(master.storageLevel())
                .exportDirectory(exportDirectory)
                .rngSeed(seed)
                .collectTrainingStats(master.collectStats())
                .build();
    }

    /** {@code report/loss.png} and {@code report/map.png} over the epochs so far. */
    private static void writeCurves(CheckpointStore store, TrainingHistory history) {
        Path report = new Path(store.run(), TrainReport.DIRECTORY);
        HadoopFiles.write(store.fileSystem(), new Path(report, TrainReport.LOSS_PNG), TrainReport.lossChart(history.epochs()));
        HadoopFiles.write(store.fileSystem(), new Path(report, TrainReport.MAP_PNG), TrainReport.mapChart(history.epochs()));
    }

    /** dl4j-spark's training statistics (time per phase, per worker) as its HTML page, {@code report/spark-training-stats.html}. */
    private static void writeStats(CheckpointStore store, SparkComputationGraph sparkNetwork) {
        ByteArrayOutputStream html = new ByteArrayOutputStream();
        try {
            StatsUtils.exportStatsAsHTML(sparkNetwork.getSparkTrainingStats(), html);
        } catch (Exception failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot render dl4j-spark's training statistics: " + failure.getMessage(), failure);
        }
        HadoopFiles.write(store.fileSystem(), new Path(new Path(store.run(), TrainReport.DIRECTORY), TrainReport.STATS_HTML), html.toByteArray());
    }

    private void checkManifest(ShardManifest manifest) {
        if (!manifest.classes().equals(config.classes())) {
            throw new YoloFleetException(ErrorCode.CONFIG, "the shards at " + config.input() + " have classes " + manifest.classes()
                    + " but yolofleet.classes = " + config.classes() + ": the class ids would mean different things; train with the"
                    + " shards' classes or rerun prepare and augment");
        }
        if (manifest.input().width() != config.modelInput().width() || manifest.input().height() != config.modelInput().height()) {
            throw new YoloFleetException(ErrorCode.CONFIG, "the shards at " + config.input() + " are " + manifest.input().width() + "x"
                    + manifest.input().height() + " but yolofleet.model.input-width/height = " + config.modelInput().width() + "x"
                    + config.modelInput().height() + ": rerun augment at the model's size or set the model's size to the shards'");
        }
    }

    private List<String> shardUris(ShardManifest manifest, String split) {
        return manifest.shardUris(config.input(), split);
    }

    /** The dataset's anchors (dataset.json of the prepared dataset the shards came from), else the VOC anchors. */
    private static List<Anchor> anchors(ShardManifest manifest, Configuration hadoop) {
        String uri = manifest.source() == null ? null : manifest.source().uri();
        if (uri != null && !uri.isBlank()) {
            try {
                DatasetManifest dataset = DatasetManifest.read(HadoopFiles.fileSystem(uri, hadoop), uri);
                if (dataset.anchors() != null && dataset.anchors().values() != null && !dataset.anchors().values().isEmpty()) {
                    return dataset.anchors().values().stream().map(pair -> new Anchor(pair[0], pair[1])).toList();
                }
            } catch (YoloFleetException unreadable) {
                LOG.warn("train: cannot read the dataset's anchors at {} ({}); using the VOC anchors", uri, unreadable.getMessage());
            }
        }
        return TinyYoloV2.VOC_ANCHORS;
    }
}

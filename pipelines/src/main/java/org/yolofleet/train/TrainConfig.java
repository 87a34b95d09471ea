package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.yolofleet.publish.PublishConfig;

import com.typesafe.config.Config;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.spark.api.Repartition;
import org.yolofleet.config.ConfigReader;
import org.yolofleet.config.ModelInput;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.model.TrainingHyperparameters;
import org.yolofleet.publish.PublishConfig;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Everything the {@code train} stage reads from the configuration ({@code yolofleet.train}), validated at start.
 *
 * @param input      the augment output holding {@code shards.json}
 * @param output     an explicit run directory (checkpoints, {@code best.json}, the report); empty = {@code <runsRoot>/<runId>/}
 * @param runsRoot   where nightly runs live, one directory per run id, and {@code latest.json} naming the newest complete
 *                   run ({@link RunLayout}); empty = no runs root (then {@code output} is required)
 * @param runId      the run's id under {@code runsRoot}; empty = the start time, UTC {@code yyyyMMdd'T'HHmmss'Z'}
 * @param resume     continue the unfinished run from its latest complete (or mid-epoch) checkpoint
 * @param patience   epochs without a better val mAP@0.5 before training stops; 0 = never stop early
 * @param checkpointMinutes also write a mid-epoch checkpoint when this many minutes passed since the last one; 0 = never
 * @param memory     heap and off-heap of the training JVMs (applied when the Spark session starts)
 * @param multiScale the input sizes of the averaging rounds (YOLOv2's multi-scale training)
 * @param region     the region loss's scales and objectness target for a new network
 */
public record TrainConfig(
        String input,
        String output,
        String runsRoot,
        String runId,
        boolean overwrite,
        boolean resume,
        List<String> classes,
        ModelInput modelInput,
        int epochs,
        int patience,
        double checkpointMinutes,
        long seed,
        Initialisation initialisation,
        Optimisation optimisation,
        Master master,
        Validation validation,
        TrainMemory memory,
        MultiScale multiScale,
        RegionSettings region) {

    /** Where the weights come from before the first epoch. */
    public enum InitialisationMode {
        /** Random initialisation (DL4J's ReLU init, seeded). */
        SCRATCH,
        /** A Darknet {@code .weights} file: all layers, or the first {@code layers} with a new head. */
        DARKNET,
        /** A DL4J model zip written by a previous run (checkpoint or release): nightly warm start. */
        CHECKPOINT,
        /**
         * The best checkpoint of the latest complete run under {@code train.runs-root} ({@code latest.json}), loaded as
         * {@link #CHECKPOINT} loads one: nightly retraining without naming last night's run.
         */
        PREVIOUS,
        /**
         * The best checkpoint of the training run behind the release a publish channel serves ({@link Released},
         * {@link ServedRun}), loaded as {@link #CHECKPOINT} loads one: nightly retraining from what the fleet runs, so a
         * night the publish gate refused does not become the next night's start.
         */
        RELEASED
    }

    /**
     * What {@link InitialisationMode#PREVIOUS} and {@link InitialisationMode#RELEASED} do when there is nothing to start
     * from yet (the first night): no complete run under the runs root, or no release on the channel.
     */
    public enum IfNoPrevious {
        /** Refuse to start: a warm start was asked for and there is nothing to start from. */
        FAIL,
        /** Start from random weights, as {@link InitialisationMode#SCRATCH}. */
        SCRATCH
    }

    /**
     * @param weights       Darknet weights or DL4J zip URI (for {@code darknet} and {@code checkpoint})
     * @param layers        Darknet layers to take from the weights (0 = all: the whole network)
     * @param freezeLayers  convolutional layers kept frozen during training (0 = none)
     * @param ifNoPrevious  for {@code previous} and {@code released}: what to do when there is nothing to start from yet
     * @param released      for {@code released}: the channel, and the keys its release must be signed with
     */
    public record Initialisation(InitialisationMode mode, String weights, int layers, int freezeLayers, IfNoPrevious ifNoPrevious,
                                 Released released) {
        public Initialisation {
            requireNonNull(mode, "mode");
            requireNonNull(weights, "weights");
            requireNonNull(ifNoPrevious, "ifNoPrevious");
            requireNonNull(released, "released");
            if (layers < 0 || freezeLayers < 0) {
                throw new IllegalArgumentException("layers and freeze layers must not be negative");
            }
        }

        public Initialisation(InitialisationMode mode, String weights, int layers, int freezeLayers, IfNoPrevious ifNoPrevious) {
            this(mode, weights, layers, freezeLayers, ifNoPrevious, Released.NONE);
        }

        public Initialisation(InitialisationMode mode, String weights, int layers, int freezeLayers) {
            this(mode, weights, layers, freezeLayers, IfNoPrevious.FAIL);
        }

        /** The same layers and freezing, from other weights. */
        public Initialisation withWeights(InitialisationMode newMode, String newWeights) {
            return new Initialisation(newMode, newWeights, layers, freezeLayers, ifNoPrevious, released);
        }
    }

    /**
     * Where {@code train.init.mode = released} finds the release the fleet runs ({@code train.init.released.*}; store,
     * model and channel default to {@code publish.store.uri}, {@code publish.model} and {@code publish.channel}), and
     * whose signature it must carry: the public keys in {@code trustedKeys}, or, when that is empty, the public key of the
     * private key publish signs with ({@code publish.signing}: the file {@code signingKey}, else the PEM text in the
     * environment variable {@code signingKeyEnv}), the key publish's regression gate verifies the channel's release with.
     *
     * @param store         the release store's URI (file:/..., s3a://bucket/prefix)
     * @param model         the model's name in the store
     * @param channel       the channel whose release the run starts from
     * @param trustedKeys   PEM files of Ed25519 public keys; empty = the public key of publish's signing key
     * @param signingKey    {@code publish.signing.private-key}
     * @param signingKeyEnv {@code publish.signing.private-key-env}
     */
    public record Released(String store, String model, String channel, List<String> trustedKeys, String signingKey, String signingKeyEnv) {
        /** No channel: the settings of an initialisation that is not {@code released}. */
        public static final Released NONE = new Released("", "", "", List.of(), "", "");

        public Released {
            requireNonNull(store, "store");
            requireNonNull(model, "model");
            requireNonNull(channel, "channel");
            trustedKeys = List.copyOf(trustedKeys);
            requireNonNull(signingKey, "signingKey");
            requireNonNull(signingKeyEnv, "signingKeyEnv");
        }

        /** {@link #trusted(Map, Configuration)} where publish's signing key is a local file or in the environment. */
        public TrustedKeys trusted(Map<String, String> environment) {
            return trusted(environment, new Configuration(false));
        }

        /**
         * The keys a release must be signed with: {@code trustedKeys}, else the public key of publish's signing key, read
         * as publish reads it (a local file or a Hadoop URI such as EMR's {@code s3://.../keys/signing.pem}, else the
         * environment variable).
         */
        public TrustedKeys trusted(Map<String, String> environment, Configuration hadoop) {
            requireNonNull(environment, "environment");
            if (!trustedKeys.isEmpty()) {
                return TrustedKeys.fromPemFiles(trustedKeys.stream().map(java.nio.file.Path::of).toList());
            }
            if (signingKey.isBlank() && (signingKeyEnv.isBlank() || !environment.containsKey(signingKeyEnv))) {
                throw new YoloFleetException(ErrorCode.CONFIG, "yolofleet.train.init.mode = released verifies the channel's release and"
                        + " has no key to verify it with: set yolofleet.train.init.released.trusted-keys to the PEM files of the"
                        + " publisher's public keys, or give this job publish's signing key (yolofleet.publish.signing.private-key"
                        + (signingKeyEnv.isBlank() ? "" : ", or the environment variable " + signingKeyEnv) + ")");
            }
            return TrustedKeys.of(List.of(SigningKeys.publicKeyOf(new PublishConfig.Signing(signingKey, signingKeyEnv).load(environment, hadoop))));
        }

        /** {@code channel <channel> of <model> in <store>}, for messages. */
        public String describe() {
            return "channel " + channel + " of " + model + " in " + store;
        }
    }

    /**
     * @param optimizer   SGD with (Nesterov) momentum, or Adam
     * @param schedule    Darknet's burn-in and steps/scales, in iterations (one minibatch of one worker)
     * @param batchNormDecay the batch-norm layers' running-statistics decay of a new network (scratch or Darknet weights)
     */
    public record Optimisation(TrainingHyperparameters.Optimizer optimizer, double momentum, double weightDecay,
                               LearningRateSchedule schedule, double batchNormDecay) {
        public Optimisation {
            requireNonNull(optimizer, "optimizer");
            requireNonNull(schedule, "schedule");
            if (!(batchNormDecay >= 0 && batchNormDecay < 1)) {
                throw new IllegalArgumentException("batch-norm decay must be in [0, 1), got " + batchNormDecay);
            }
        }

        public TrainingHyperparameters hyperparameters(long seed) {
            return new TrainingHyperparameters(optimizer, schedule.baseRate(), momentum, weightDecay, seed);
        }
    }

    /** The dl4j-spark training master. */
    public enum MasterType {
        /** {@code ParameterAveragingTrainingMaster}: workers train copies, the driver averages every few minibatches. */
        PARAMETER_AVERAGING,
        /** {@code SharedTrainingMaster}: workers exchange threshold-encoded updates over Aeron (UDP) as they train. */
        SHARED
    }

    /**
     * dl4j-spark's training master: parameter averaging, or gradient sharing ({@link MasterType#SHARED}).
     *
     * @param workers            minibatches trained in parallel per round; 0 = Spark's default parallelism
     * @param averagingFrequency minibatches per worker between averagings (parameter averaging); the round length
     *                           (learning-rate updates, loss, mid-epoch checkpoints) for both masters
     * @param exportDirectory    dl4j-spark's scratch directory; empty = {@code <run>/.dl4j-export} (deleted at the end)
     */
    public record Master(MasterType type, int workers, int batchSizePerWorker, int averagingFrequency, int prefetchBatches,
                         Repartition repartition, StorageLevel storageLevel, String exportDirectory, boolean collectStats, Shared shared) {
        public Master {
            requireNonNull(type, "type");
            requireNonNull(repartition, "repartition");
            requireNonNull(storageLevel, "storageLevel");
            requireNonNull(exportDirectory, "exportDirectory");
            requireNonNull(shared, "shared");
            if (workers < 0 || batchSizePerWorker < 1 || averagingFrequency < 1 || prefetchBatches < 0) {
                throw new IllegalArgumentException("workers >= 0, batch size >= 1, averaging frequency >= 1, prefetch >= 0");
            }
        }
    }

    /**
     * The gradient-sharing master's network ({@code VoidConfiguration}) and update encoding.
     *
     * @param port              the UDP port every node listens on (Aeron)
     * @param networkMask       the network the nodes talk over, e.g. 10.0.0.0/16; empty = the driver's first address
     * @param controllerAddress the driver's address the workers reach; empty = found from the network mask
     * @param threshold         the initial threshold of DL4J's adaptive threshold encoding
     */
    public record Shared(int port, String networkMask, String controllerAddress, double threshold) {
        public Shared {
            requireNonNull(networkMask, "networkMask");
            requireNonNull(controllerAddress, "controllerAddress");
            if (port < 1 || port > 65535 || !(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("port in 1..65535, threshold in (0, 1)");
            }
        }
    }

    /** Darknet's {@code [region]} training keys for a new network: the loss's weights and objectness target. */
    public record RegionSettings(double objectScale, double noObjectScale, double classScale, double coordinateScale, boolean rescore) {
        public RegionSettings {
            for (double scale : new double[] {objectScale, noObjectScale, classScale, coordinateScale}) {
                if (!(scale >= 0 && Double.isFinite(scale))) {
                    throw new IllegalArgumentException("region loss scales must be finite and not negative");
                }
            }
        }

        static RegionSettings read(ConfigReader region) {
            return new RegionSettings(region.number("object-scale", 0, 1000, true), region.number("noobject-scale", 0, 1000, true),
                    region.number("class-scale", 0, 1000, true), region.number("coord-scale", 0, 1000, true), region.bool("rescore"));
        }

        /** The spec with these loss settings in its region layer. */
        public ModelSpec applyTo(ModelSpec spec) {
            return spec.withRegion(spec.region().withLoss(objectScale, noObjectScale, classScale, coordinateScale, rescore));
        }
    }

    /**
     * Validation decoding: score threshold (VOC evaluation wants a low one), NMS IoU and the forward batch size; and the
     * val split size above which mAP is computed with Spark ({@code distributed-above}, {@link org.yolofleet.ml.eval.SplitEvaluator}).
     */
    public record Validation(double threshold, double nmsIou, int batchSize, int distributedAbove) {
        public Validation {
            if (!(threshold >= 0 && threshold < 1) || !(nmsIou > 0 && nmsIou <= 1) || batchSize < 1 || distributedAbove < 0) {
                throw new IllegalArgumentException("threshold in [0, 1), NMS IoU in (0, 1], batch size >= 1, distributed-above >= 0");
            }
        }

        /** Validation scored on the driver whatever the split's size. */
        public Validation(double threshold, double nmsIou, int batchSize) {
            this(threshold, nmsIou, batchSize, Integer.MAX_VALUE);
        }
    }

    public TrainConfig {
        requireNonNull(input, "input");
        requireNonNull(output, "output");
        requireNonNull(runsRoot, "runsRoot");
        requireNonNull(runId, "runId");
        classes = List.copyOf(classes);
        requireNonNull(modelInput, "modelInput");
        requireNonNull(initialisation, "initialisation");
        requireNonNull(optimisation, "optimisation");
        requireNonNull(master, "master");
        requireNonNull(validation, "validation");
        requireNonNull(memory, "memory");
        requireNonNull(multiScale, "multiScale");
        requireNonNull(region, "region");
        if (!(checkpointMinutes >= 0 && Double.isFinite(checkpointMinutes))) {
            throw new IllegalArgumentException("checkpoint minutes must be finite and not negative");
        }
        if (epochs < 1 || patience < 0) {
            throw new IllegalArgumentException("epochs must be positive and patience not negative");
        }
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("classes must not be empty");
        }
        if (output.isBlank() && runsRoot.isBlank()) {
            throw new IllegalArgumentException("a run needs an output directory or a runs root");
        }
        if (!runId.isEmpty() && !RunLayout.isValidRunId(runId)) {
            throw new IllegalArgumentException("invalid run id " + runId);
        }
    }

    /**
     * Aeron's publication unblock timeout must exceed the client liveness timeout DL4J's media driver sets (30 s), or the
     * driver refuses to start; Aeron's default is 15 s.
     */
    public static final String AERON_UNBLOCK_TIMEOUT_PROPERTY = "aeron.publication.unblock.timeout";
    static final String AERON_UNBLOCK_TIMEOUT = "60s";

    /**
     * The Spark settings this stage needs when its session starts: the memory's, plus for the shared master Aeron's
     * unblock timeout in the executors' Java options (the train stage sets it in the driver's JVM).
     */
    public Map<String, String> sparkSettings(String existingExecutorJavaOptions) {
        String options = existingExecutorJavaOptions == null ? "" : existingExecutorJavaOptions;
        if (master.type() == MasterType.SHARED) {
            if (!options.contains(AERON_UNBLOCK_TIMEOUT_PROPERTY)) {
                options = (options.trim() + " -D" + AERON_UNBLOCK_TIMEOUT_PROPERTY + "=" + AERON_UNBLOCK_TIMEOUT).trim();
            }
        }
        return memory.sparkSettings(options);
    }

    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(input, output, runsRoot, runId, overwrite, resume, classes, modelInput, newEpochs, patience, checkpointMinutes, seed,
                initialisation, optimisation, master, validation, memory, multiScale, region);
    }

    public TrainConfig withResume(boolean newResume) {
        return new TrainConfig(input, output, runsRoot, runId, overwrite, newResume, classes, modelInput, epochs, patience, checkpointMinutes, seed,
                initialisation, optimisation, master, validation, memory, multiScale, region);
    }

    public TrainConfig withRunId(String newRunId) {
        return new TrainConfig(input, output, runsRoot, newRunId, overwrite, resume, classes, modelInput, epochs, patience, checkpointMinutes, seed,
                initialisation, optimisation, master, validation, memory, multiScale, region);
    }

    public TrainConfig withInitialisation(Initialisation newInitialisation) {
        return new TrainConfig(input, output, runsRoot, runId, overwrite, resume, classes, modelInput, epochs, patience, checkpointMinutes, seed,
                newInitialisation, optimisation, master, validation, memory, multiScale, region);
    }

    public static TrainConfig from(Config config) {
        ConfigReader root = new ConfigReader(config, "yolofleet");
        ConfigReader train = root.at("train");
        List<String> classes = root.strings("classes");
        if (classes.isEmpty() || new HashSet<>(classes).size() != classes.size()) {
            throw new YoloFleetException(ErrorCode.CONFIG, root.key("classes") + " = " + classes + " must list unique class names");
        }
        ConfigReader init = train.at("init");
        InitialisationMode mode = init.enumeration("mode", InitialisationMode.class);
        String weights = init.string("weights");
        boolean needsWeights = switch (mode) {
            case DARKNET, CHECKPOINT -> true;
            case SCRATCH, PREVIOUS, RELEASED -> false;
        };
        if (needsWeights && weights.isBlank()) {
            throw new YoloFleetException(ErrorCode.CONFIG, init.key("weights") + " is empty: " + init.key("mode") + " = "
                    + mode.name().toLowerCase() + " needs a weights URI");
        }
        String output = train.string("output");
        String runsRoot = train.string("runs-root");
        String runId = train.string("run-id");
        boolean resume = train.bool("resume");
        if (output.isBlank() && runsRoot.isBlank()) {
            throw new YoloFleetException(ErrorCode.CONFIG, train.key("output") + " and " + train.key("runs-root")
                    + " are both empty: set the runs root (a Hadoop FS URI, file:/..., s3a://bucket/prefix; each run gets <runs-root>/<run-id>/)"
                    + " or one run directory as the output");
        }
        if (!runId.isEmpty() && !RunLayout.isValidRunId(runId)) {
            throw new YoloFleetException(ErrorCode.CONFIG, train.key("run-id") + " = " + runId + " is not allowed: " + RunLayout.RUN_ID_RULE);
        }
        if (!runId.isEmpty() && !output.isBlank()) {
            throw new YoloFleetException(ErrorCode.CONFIG, train.key("run-id") + " = " + runId + " names a run under " + train.key("runs-root")
                    + ", but " + train.key("output") + " = " + output + " is already the run directory: set one of them");
        }
        if (resume && output.isBlank() && runId.isEmpty()) {
            throw new YoloFleetException(ErrorCode.CONFIG, train.key("resume") + " = true needs the run to continue: set "
                    + train.key("run-id") + " (--run-id ID) to the id of the unfinished run under " + runsRoot);
        }
        if (mode == InitialisationMode.PREVIOUS && runsRoot.isBlank()) {
            throw new YoloFleetException(ErrorCode.CONFIG, init.key("mode") + " = previous starts from the latest complete run under "
                    + train.key("runs-root") + ", which is empty");
        }
        if (mode == InitialisationMode.RELEASED && runsRoot.isBlank()) {
            throw new YoloFleetException(ErrorCode.CONFIG, init.key("mode") + " = released starts from the run behind the channel's release,"
                    + " found under " + train.key("runs-root") + ", which is empty");
        }
        Released released = mode == InitialisationMode.RELEASED ? released(config, init.at("released")) : Released.NONE;
        ConfigReader optimizer = train.at("optimizer");
        List<Long> steps = optimizer.longIntegers("steps", 0, Long.MAX_VALUE);
        List<Double> scales = optimizer.positiveNumbers("scales");
        if (steps.size() != scales.size()) {
            throw new YoloFleetException(ErrorCode.CONFIG, optimizer.key("steps") + " and " + optimizer.key("scales")
                    + " must have the same length, got " + steps.size() + " and " + scales.size());
        }
        for (int index = 1; index < steps.size(); index++) {
            if (steps.get(index) <= steps.get(index - 1)) {
                throw new YoloFleetException(ErrorCode.CONFIG, optimizer.key("steps") + " = " + steps + " must be increasing");
            }
        }
        LearningRateSchedule schedule = new LearningRateSchedule(
                optimizer.number("learning-rate", 0, 10, true),
                optimizer.integer("burn-in", 0, 10_000_000),
                optimizer.number("burn-in-power", 0, 16, true),
                steps, scales,
                optimizer.enumeration("policy", LearningRateSchedule.Policy.class),
                optimizer.number("final-scale", 0, 1, true),
                optimizer.number("cosine-from", 0, 1, false));
        if (schedule.baseRate() <= 0) {
            throw new YoloFleetException(ErrorCode.CONFIG, optimizer.key("learning-rate") + " must be positive");
        }
        ConfigReader master = train.at("master");
        ConfigReader validation = train.at("validation");
        String storageLevel = master.string("storage-level");
        StorageLevel level;
        try {
            level = StorageLevel.fromString(storageLevel);
        } catch (IllegalArgumentException unknown) {
            throw new YoloFleetException(ErrorCode.CONFIG, master.key("storage-level") + " = " + storageLevel
                    + " is not allowed: use a Spark storage level such as MEMORY_ONLY or MEMORY_AND_DISK_SER");
        }
        return new TrainConfig(
                train.nonEmptyString("input", "the augment output holding shards.json (file:/..., s3a://bucket/prefix)"),
                output,
                runsRoot,
                runId,
                train.bool("overwrite"),
                resume,
                classes,
                ModelInput.read(root.at("model")),
                train.integer("epochs", 1, 100_000),
                train.integer("patience", 0, 100_000),
                train.number("checkpoint-minutes", 0, 10_000, true),
                train.longInteger("seed", Long.MIN_VALUE, Long.MAX_VALUE),
                new Initialisation(mode, weights, init.integer("layers", 0, 1000), init.integer("freeze-layers", 0, 1000),
                        init.enumeration("if-no-previous", IfNoPrevious.class), released),
                new Optimisation(optimizer.enumeration("type", TrainingHyperparameters.Optimizer.class),
                        optimizer.number("momentum", 0, 1, false),
                        optimizer.number("weight-decay", 0, 1, true),
                        schedule,
                        optimizer.number("batch-norm-decay", 0, 1, false)),
                new Master(
                        master.enumeration("type", MasterType.class),
                        master.integer("workers", 0, 100_000),
                        master.integer("batch-size-per-worker", 1, 4096),
                        master.integer("averaging-frequency", 1, 100_000),
                        master.integer("prefetch-batches", 0, 1000),
                        master.enumeration("repartition", Repartition.class),
                        level,
                        master.string("export-directory"),
                        master.bool("collect-stats"),
                        new Shared(master.at("shared").integer("port", 1, 65535), master.at("shared").string("network-mask"),
                                master.at("shared").string("controller-address"), master.at("shared").number("threshold", 0, 1, false))),
                new Validation(validation.number("threshold", 0, 1, false), validation.number("nms-iou", 0, 1, true),
                        validation.integer("batch-size", 1, 1024), validation.integer("distributed-above", 0, Integer.MAX_VALUE)),
                TrainMemory.from(config),
                MultiScale.read(train.at("multi-scale")),
                RegionSettings.read(train.at("region")));
    }

    /** {@code train.init.released}, its empty keys taken from {@code publish}: the store, model and channel publish moves. */
    private static Released released(Config config, ConfigReader released) {
        ConfigReader publish = new ConfigReader(config, "yolofleet.publish");
        String store = orDefault(released.string("store"), publish.at("store"), "uri");
        String model = orDefault(released.string("model"), publish, "model");
        String channel = orDefault(released.string("channel"), publish, "channel");
        for (Map.Entry<String, String> name : Map.of("model", model, "channel", channel).entrySet()) {
            if (!ReleaseLayout.isSafeSegment(name.getValue())) {
                throw new YoloFleetException(ErrorCode.CONFIG, released.key(name.getKey()) + " = \"" + name.getValue() + "\" (or "
                        + publish.key(name.getKey()) + " when it is empty): use letters, digits, '.', '_' and '-', starting with a letter or digit");
            }
        }
        if (store.isBlank()) {
            throw new YoloFleetException(ErrorCode.CONFIG, released.key("store") + " and " + publish.at("store").key("uri")
                    + " are both empty: set the release store the channel is in (file:/..., s3a://bucket/prefix)");
        }
        List<String> trustedKeys = released.strings("trusted-keys");
        ConfigReader signing = publish.at("signing");
        String signingKey = signing.string("private-key");
        String signingKeyEnv = signing.string("private-key-env");
        if (trustedKeys.isEmpty() && signingKey.isBlank() && signingKeyEnv.isBlank()) {
            throw new YoloFleetException(ErrorCode.CONFIG, released.key("trusted-keys") + " is empty and so are " + signing.key("private-key")
                    + " and " + signing.key("private-key-env") + ": list the PEM files of the publisher's Ed25519 public keys, so the"
                    + " channel's release is verified before a run starts from it");
        }
        return new Released(store, model, channel, trustedKeys, signingKey, signingKeyEnv);
    }

    private static String orDefault(String value, ConfigReader fallback, String key) {
        return value.isBlank() ? fallback.string(key) : value;
    }
}

package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.darknet.DarknetWeightsReader;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.model.DarknetWeightsImporter;
import org.yolofleet.model.FrozenLayers;
import org.yolofleet.model.TinyYoloGraphBuilder;
import org.yolofleet.model.TrainingHyperparameters;
import org.yolofleet.spark.HadoopFiles;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The network before the first epoch: from scratch, from Darknet {@code .weights} (all convolutional layers, or the
 * first {@code layers} under a freshly initialised head: the seed's transfer learning), or warm-started from a DL4J
 * model zip (a checkpoint or a release); then optionally the first convolutional layers frozen. A warm start from
 * the previous run ({@code train.init.mode = previous}) is first resolved to the checkpoint it names
 * ({@link #resolvePrevious}), and one from the release a channel serves ({@code released}) likewise ({@link #resolveReleased}).
 */
public final class ModelInitializer {
    private ModelInitializer() {
    }

    public static ComputationGraph initialise(ModelSpec spec, TrainConfig.Initialisation initialisation, TrainingHyperparameters hyperparameters,
                                              double batchNormDecay, Configuration hadoop) {
        requireNonNull(spec, "spec");
        requireNonNull(initialisation, "initialisation");
        ComputationGraph network = switch (initialisation.mode()) {
            case SCRATCH -> TinyYoloGraphBuilder.forSpec(spec).hyperparameters(hyperparameters).batchNormDecay(batchNormDecay).build();
            case DARKNET -> fromDarknet(spec, initialisation, hyperparameters, batchNormDecay, hadoop);
            case CHECKPOINT -> fromCheckpoint(spec, initialisation.weights(), hadoop);
            case PREVIOUS -> throw new IllegalArgumentException("train.init.mode = previous is resolved to the latest run's best checkpoint"
                    + " (resolvePrevious) before the network is initialised");
            case RELEASED -> throw new IllegalArgumentException("train.init.mode = released is resolved to the best checkpoint of the run"
                    + " behind the channel's release (resolveReleased) before the network is initialised");
        };
        return initialisation.freezeLayers() > 0 ? FrozenLayers.freezeFirst(network, spec, initialisation.freezeLayers()) : network;
    }

    /**
     * The initialisation {@code previous} stands for: the best checkpoint of {@code latest}, the latest complete run under
     * {@code runsRoot}, loaded as {@code checkpoint} loads one (its weights, updater state and head); without a complete
     * run, random weights when {@code train.init.if-no-previous = scratch}, else an error. The latest run must have
     * trained on {@code classes}: its head's class ids would mean other classes. Other modes are returned as they are.
     */
    public static TrainConfig.Initialisation resolvePrevious(TrainConfig.Initialisation initialisation, Optional<CompletedRun> latest,
                                                              String runsRoot, List<String> classes) {
        requireNonNull(initialisation, "initialisation");
        if (initialisation.mode() != TrainConfig.InitialisationMode.PREVIOUS) {
            return initialisation;
        }
        if (latest.isEmpty()) {
            return switch (initialisation.ifNoPrevious()) {
                case SCRATCH -> initialisation.withWeights(TrainConfig.InitialisationMode.SCRATCH, "");
                case FAIL -> throw new YoloFleetException(ErrorCode.CONFIG, "yolofleet.train.init.mode = previous, but " + runsRoot
                        + " has no complete run yet (no " + RunLayout.LATEST + "): train once from scratch, darknet or a checkpoint,"
                        + " or set yolofleet.train.init.if-no-previous = scratch to start from random weights then");
            };
        }
        CompletedRun previous = latest.get();
        if (!previous.classes().equals(classes)) {
            throw new YoloFleetException(ErrorCode.CONFIG, "the latest run under " + runsRoot + ", " + previous.runId() + ", trained on classes "
                    + previous.classes() + " but yolofleet.classes = " + classes + ": its head's class ids would mean other classes;"
                    + " start this run with another yolofleet.train.init.mode");
        }
        return initialisation.withWeights(TrainConfig.InitialisationMode.CHECKPOINT, previous.bestCheckpoint());
    }

    /**
     * The initialisation {@code released} stands for: the best checkpoint of the run behind the release the channel serves
     * ({@link ServedRun#find}), loaded as {@code checkpoint} loads one, so the network keeps the head (anchors, region
     * loss) of what the fleet runs; with no release on the channel yet, random weights when
     * {@code train.init.if-no-previous = scratch}, else an error. The release and its run must detect {@code classes}.
     * Other modes are returned as they are.
     */
    public static TrainConfig.Initialisation resolveReleased(TrainConfig.Initialisation initialisation, Optional<ServedRun> served,
                                                              List<String> classes) {
        requireNonNull(initialisation, "initialisation");
        if (initialisation.mode() != TrainConfig.InitialisationMode.RELEASED) {
            return initialisation;
        }
        if (served.isEmpty()) {
            return switch (initialisation.ifNoPrevious()) {
                case SCRATCH -> initialisation.withWeights(TrainConfig.InitialisationMode.SCRATCH, "");
                case FAIL -> throw new YoloFleetException(ErrorCode.CONFIG, "yolofleet.train.init.mode = released, but "
                        + initialisation.released().describe() + " serves no release yet: publish one first, or set"
                        + " yolofleet.train.init.if-no-previous = scratch to start from random weights then");
            };
        }
        ServedRun run = served.get();
        List<String> released = run.release().manifest().classes();
        if (!released.equals(classes) || !run.run().classes().equals(classes)) {
            throw new YoloFleetException(ErrorCode.CONFIG, run.describe() + " detects classes " + released + " (its run trained on "
                    + run.run().classes() + ") but yolofleet.classes = " + classes + ": its head's class ids would mean other classes;"
                    + " start this run with another yolofleet.train.init.mode");
        }
        return initialisation.withWeights(TrainConfig.InitialisationMode.CHECKPOINT, run.run().bestCheckpoint());
    }

    private static ComputationGraph fromDarknet(ModelSpec spec, TrainConfig.Initialisation initialisation, TrainingHyperparameters hyperparameters,
                                                double batchNormDecay, Configuration hadoop) {
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).hyperparameters(hyperparameters).batchNormDecay(batchNormDecay).build();
        FileSystem fileSystem = HadoopFiles.fileSystem(initialisation.weights(), hadoop);
        DarknetWeightsReader reader = DarknetWeightsReader.forModel(spec);
        try (FSDataInputStream input = fileSystem.open(new Path(initialisation.weights()))) {
            if (initialisation.layers() == 0) {
                DarknetWeights weights = reader.read(input, initialisation.weights());
                DarknetWeightsImporter.importAll(weights, spec, network);
            } else {
                DarknetWeights weights = reader.firstLayers(initialisation.layers()).read(input, initialisation.weights());
                DarknetWeightsImporter.importFirst(weights, initialisation.layers(), spec, network);
            }
        } catch (IOException failure) {
            throw HadoopFiles.failure("cannot read the Darknet weights", initialisation.weights(), failure);
        }
        return network;
    }

    private static ComputationGraph fromCheckpoint(ModelSpec spec, String uri, Configuration hadoop) {
        ComputationGraph network = CheckpointStore.loadModel(HadoopFiles.fileSystem(uri, hadoop), new Path(uri));
        String regionInput = TinyYoloGraphBuilder.regionInputName(spec);
        if (network.getVertex(regionInput) == null) {
            throw new YoloFleetException(ErrorCode.BAD_WEIGHTS, uri + " is not a Tiny-YOLOv2 network of this spec: it has no vertex " + regionInput);
        }
        long outputs = network.getLayer(TinyYoloGraphBuilder.convolutionName(spec.layers().size() - 2)).getParam("W").size(0);
        if (outputs != spec.region().outputChannels()) {
            throw new YoloFleetException(ErrorCode.BAD_WEIGHTS, uri + " has " + outputs + " region channels, the model needs "
                    + spec.region().outputChannels() + " (" + spec.classCount() + " classes, " + spec.anchors().size() + " anchors)");
        }
        return network;
    }
}

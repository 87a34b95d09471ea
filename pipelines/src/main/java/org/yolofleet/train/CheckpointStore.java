package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.model.ModelCheckpoint;
import org.yolofleet.spark.HadoopFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The checkpoints of a run, {@code <run>/checkpoints/epoch-NNN/} each holding {@code model.zip} (a {@link ModelCheckpoint}:
 * DL4J's {@code ModelSerializer} zip with the updater state, plus the model spec and class names, so {@code detect} and
 * {@code publish} take it as it is), {@code metrics.json} ({@link TrainingHistory}, written last: a
 * directory without it is not a checkpoint) and the epoch's {@code pr.png}. A checkpoint is
 * written under {@code .epoch-NNN.partial/} and renamed when complete, so an {@code epoch-NNN/} directory is always
 * whole; a killed run leaves at most a partial directory, which is ignored and replaced. {@code best.json} names the
 * checkpoint with the best val mAP@0.5. With {@code train.checkpoint-minutes}, {@code checkpoints/progress/} holds
 * the latest mid-epoch checkpoint of the unfinished epoch ({@link EpochProgress}), replaced atomically the same way.
 */
public final class CheckpointStore {
    public static final String DIRECTORY = "checkpoints";
    public static final String MODEL = "model.zip";
    public static final String METRICS = "metrics.json";
    public static final String BEST = "best.json";
    /** The mid-epoch checkpoint's directory under {@code checkpoints/} (train.checkpoint-minutes). */
    public static final String PROGRESS = "progress";
    public static final String PROGRESS_JSON = "progress.json";
    private static final Pattern COMPLETE = Pattern.compile("epoch-(\\d{3,})");

    private final FileSystem fileSystem;
    private final Path run;
    private final ModelSpec spec;
    private final List<String> classNames;

    /** A store that reads checkpoints only. */
    public CheckpointStore(String runUri, Configuration hadoop) {
        this(runUri, hadoop, null, null);
    }

    /** A store that also writes checkpoints of a network with this spec and these class names. */
    public CheckpointStore(String runUri, Configuration hadoop, ModelSpec spec, List<String> classNames) {
        requireNonNull(runUri, "runUri");
        this.fileSystem = HadoopFiles.fileSystem(runUri, hadoop);
        this.run = new Path(runUri);
        this.spec = spec;
        this.classNames = classNames == null ? null : List.copyOf(classNames);
    }

    public static String directoryName(int epoch) {
        return String.format(Locale.ROOT, "epoch-%03d", epoch);
    }

    public Path checkpoint(int epoch) {
        return new Path(new Path(run, DIRECTORY), directoryName(epoch));
    }

    /** Writes one epoch's checkpoint atomically, with any extra files (name to content) beside the model; returns its directory. */
    public Path write(int epoch, ComputationGraph network, TrainingHistory history, Map<String, byte[]> extras) {
        Map<String, byte[]> files = new LinkedHashMap<>(extras);
        files.put(METRICS, history.toJson());
        return writeAtomically(directoryName(epoch), network, files);
    }

    /**
     * Writes the mid-epoch checkpoint ({@code checkpoints/progress/}: {@code model.zip} with the updater state and
     * {@code progress.json}), atomically, replacing the previous one.
     */
    public void writeProgress(ComputationGraph network, EpochProgress progress) {
        writeAtomically(PROGRESS, network, Map.of(PROGRESS_JSON, progress.toJson()));
    }

    /**
     * Writes {@code model.zip} and then {@code files} (in order: the last one marks the directory complete) under
     * {@code checkpoints/.<name>.partial/}, then renames that to {@code checkpoints/<name>/}, replacing what was there.
     */
    private Path writeAtomically(String name, ComputationGraph network, Map<String, byte[]> files) {
        Path partial = new Path(new Path(run, DIRECTORY), "." + name + ".partial");
        Path complete = new Path(new Path(run, DIRECTORY), name);
        if (spec == null) {
            throw new IllegalStateException("this checkpoint store of " + run + " was opened for reading only");
        }
        HadoopFiles.delete(fileSystem, partial);
        java.nio.file.Path local = null;
        try {
            // ModelCheckpoint adds its entries to a zip file, so the zip is made on the local disk and copied
            local = Files.createTempFile("yolofleet-checkpoint", ".zip");
            ModelCheckpoint.write(network, spec, classNames, local, true);
            try (FSDataOutputStream output = fileSystem.create(new Path(partial, MODEL), true)) {
                Files.copy(local, output);
            }
        } catch (IOException failure) {
            throw HadoopFiles.failure("cannot write the checkpoint", partial.toString(), failure);
        } finally {
            deleteQuietly(local);
        }
        files.forEach((file, content) -> HadoopFiles.write(fileSystem, new Path(partial, file), content));
        HadoopFiles.delete(fileSystem, complete);
        HadoopFiles.rename(fileSystem, partial, complete);
        return complete;
    }

    private static void deleteQuietly(java.nio.file.Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file; the JVM's temp directory is cleaned elsewhere
            }
        }
    }

    private Path progressDirectory() {
        return new Path(new Path(run, DIRECTORY), PROGRESS);
    }

    /** The mid-epoch checkpoint's progress, if one is there. */
    public Optional<EpochProgress> progress() {
        return HadoopFiles.readIfExists(fileSystem, new Path(progressDirectory(), PROGRESS_JSON))
                .map(EpochProgress::fromJson);
    }

    /** The mid-epoch checkpoint's network with its updater state. */
    public ComputationGraph progressModel() {
        return loadModel(fileSystem, new Path(progressDirectory(), MODEL));
    }

    /** Removes the mid-epoch checkpoint (its epoch has a complete checkpoint now). */
    public void deleteProgress() {
        HadoopFiles.delete(fileSystem, progressDirectory());
    }

    /** The epochs with a complete checkpoint, ascending. */
    public List<Integer> completeEpochs() {
        Path directory = new Path(run, DIRECTORY);
        if (!HadoopFiles.exists(fileSystem, directory)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try {
            for (FileStatus status : fileSystem.listStatus(directory)) {
                if (status.isDirectory()) {
                    names.add(status.getPath().getName());
                }
            }
        } catch (IOException failure) {
            throw HadoopFiles.failure("cannot list the checkpoints", directory.toString(), failure);
        }
        return names.stream()
                .map(COMPLETE::matcher)
                .filter(Matcher::matches)
                .map(matcher -> Integer.parseInt(matcher.group(1)))
                .filter(epoch -> HadoopFiles.exists(fileSystem, new Path(checkpoint(epoch), METRICS)))
                .sorted()
                .toList();
    }

    public Optional<Integer> latestEpoch() {
        List<Integer> epochs = completeEpochs();
        return epochs.isEmpty() ? Optional.empty() : Optional.of(epochs.get(epochs.size() - 1));
    }

    public TrainingHistory history(int epoch) {
        return TrainingHistory.fromJson(HadoopFiles.readIfExists(fileSystem, new Path(checkpoint(epoch), METRICS)).orElseThrow());
    }

    /** The checkpoint's network with its updater state. */
    public ComputationGraph model(int epoch) {
        return loadModel(fileSystem, new Path(checkpoint(epoch), MODEL));
    }

    public static ComputationGraph loadModel(FileSystem fileSystem, Path zip) {
        try (FSDataInputStream input = fileSystem.open(zip)) {
            return ModelSerializer.restoreComputationGraph(input, true);
        } catch (IOException failure) {
            throw HadoopFiles.failure("cannot read the DL4J model", zip.toString(), failure);
        }
    }

    /** Points {@code best.json} at an epoch's checkpoint. */
    public void writeBest(EpochMetrics best) {
        String json = String.format(Locale.ROOT, """
                {
                  "epoch" : %d,
                  "checkpoint" : "%s/%s",
                  "mapArea" : %s,
                  "mapElevenPoint" : %s
                }
                """, best.epoch(), DIRECTORY, directoryName(best.epoch()), number(best.mapArea()), number(best.mapElevenPoint()));
        HadoopFiles.write(fileSystem, new Path(run, BEST), json.getBytes(StandardCharsets.UTF_8));
    }

    private static String number(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "null";
    }

    public FileSystem fileSystem() {
        return fileSystem;
    }

    public Path run() {
        return run;
    }
}

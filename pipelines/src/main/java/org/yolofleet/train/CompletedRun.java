package org.yolofleet.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.spark.HadoopFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A training run that completed (every epoch trained, or stopped early by patience, and {@code best.json} written):
 * the record written as {@code <run>/run.json} and then, last, as {@code <runs-root>/latest.json}. A run that fails or
 * is killed writes neither, so {@code latest.json} only ever names a whole run, and {@code train.init.mode = previous}
 * warm-starts from its {@code bestCheckpoint}. Both are written atomically: a temporary object renamed into place.
 *
 * @param runId          the run's id ({@link RunLayout})
 * @param run            the run directory's URI
 * @param bestCheckpoint the URI of the best checkpoint's {@code model.zip}
 * @param bestEpoch      the best checkpoint's epoch
 * @param bestMapArea    its val mAP@0.5 (area); NaN (the string NaN in the file) when validation had no objects
 * @param epochs         the epochs the run trained in all
 * @param classes        the class names the run trained on, in id order
 * @param finishedAt     when the run completed, ISO-8601 UTC
 * @param input          the augment output the run trained and validated on (its {@code shards.json} directory): where
 *                       {@code publish} finds the val split; empty in a record written before runs named it
 * @param startedFrom    what the run's network started from before its first epoch, in words (scratch, a checkpoint, the
 *                       release a channel served and its run); empty in a record written before runs named it
 */
public record CompletedRun(String runId, String run, String bestCheckpoint, int bestEpoch, double bestMapArea, int epochs, List<String> classes,
                           String finishedAt, String input, String startedFrom) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public CompletedRun {
        requireNonNull(runId, "runId");
        requireNonNull(run, "run");
        requireNonNull(bestCheckpoint, "bestCheckpoint");
        classes = List.copyOf(classes);
        requireNonNull(finishedAt, "finishedAt");
        input = input == null ? "" : input;
        startedFrom = startedFrom == null ? "" : startedFrom;
        if (bestEpoch < 1 || epochs < bestEpoch) {
            throw new IllegalArgumentException("the best epoch must be one of the run's epochs, got " + bestEpoch + " of " + epochs);
        }
    }

    /** A record that does not say what the run started from. */
    public CompletedRun(String runId, String run, String bestCheckpoint, int bestEpoch, double bestMapArea, int epochs, List<String> classes,
                        String finishedAt, String input) {
        this(runId, run, bestCheckpoint, bestEpoch, bestMapArea, epochs, classes, finishedAt, input, "");
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsString(this).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException exception) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot write the run record: " + exception.getMessage(), exception);
        }
    }

    public static CompletedRun fromJson(byte[] json, String uri) {
        try {
            return JSON.readValue(json, CompletedRun.class);
        } catch (IOException | IllegalArgumentException | NullPointerException exception) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read the run record " + uri + ": " + exception.getMessage(), exception);
        }
    }

    /** The record at {@code file}, if there is one. */
    public static Optional<CompletedRun> read(FileSystem fileSystem, Path file) {
        return HadoopFiles.readIfExists(fileSystem, file).map(json -> fromJson(json, file.toString()));
    }

    /**
     * Writes this record to {@code file} atomically: to {@code .<name>.partial} beside it, then renamed into place, so
     * a reader finds the old record, the new one, or (for the moment between the delete and the rename on a store whose
     * rename does not replace) none; never half of one.
     */
    public void write(FileSystem fileSystem, Path file) {
        Path partial = new Path(file.getParent(), "." + file.getName() + ".partial");
        HadoopFiles.write(fileSystem, partial, toJson());
        HadoopFiles.delete(fileSystem, file);
        HadoopFiles.rename(fileSystem, partial, file);
    }
}

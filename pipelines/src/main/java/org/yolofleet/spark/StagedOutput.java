package org.yolofleet.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * An output directory that is never visible as complete while it is being written. Everything goes to
 * {@code <output>/_staging-<run id>/} (Spark and Parquet readers skip names starting with '_'); {@link #commit}
 * moves each child into the output and writes the marker file ({@code dataset.json}, {@code shards.json}, ...)
 * last. Readers treat an output as complete only when its marker exists.
 */
public final class StagedOutput {
    private final FileSystem fileSystem;
    private final Path output;
    private final Path staging;
    private final String markerName;

    private StagedOutput(FileSystem fileSystem, Path output, Path staging, String markerName) {
        this.fileSystem = fileSystem;
        this.output = output;
        this.staging = staging;
        this.markerName = markerName;
    }

    /**
     * Opens a staging area under {@code outputUri}. Refuses when a committed output (its marker) exists and
     * {@code overwrite} is false; with {@code overwrite} the previous output is removed at commit time.
     */
    public static StagedOutput open(String outputUri, String markerName, String runId, boolean overwrite, Configuration configuration) {
        requireNonNull(markerName, "markerName");
        FileSystem fileSystem = HadoopFiles.fileSystem(outputUri, configuration);
        Path output = new Path(outputUri);
        if (!overwrite && HadoopFiles.exists(fileSystem, new Path(output, markerName))) {
            throw new YoloFleetException(ErrorCode.OUTPUT_EXISTS, outputUri + " already holds a committed output ("
                    + markerName + "): choose another output or set overwrite=true");
        }
        Path staging = new Path(output, "_staging-" + runId);
        HadoopFiles.delete(fileSystem, staging);
        return new StagedOutput(fileSystem, output, staging, markerName);
    }

    public FileSystem fileSystem() {
        return fileSystem;
    }

    public Path output() {
        return output;
    }

    /** A path inside the staging area. */
    public Path staged(String relative) {
        return new Path(staging, relative);
    }

    public String stagedUri(String relative) {
        return staged(relative).toString();
    }

    /**
     * Moves everything staged into the output, the marker last. Children of a previous output that the new
     * one also has are replaced; the old marker is removed first so a reader never sees a mix as complete.
     */
    public void commit() {
        Path marker = new Path(output, markerName);
        HadoopFiles.delete(fileSystem, marker);
        try {
            Path stagedMarker = new Path(staging, markerName);
            if (!fileSystem.exists(stagedMarker)) {
                throw new YoloFleetException(ErrorCode.INTERNAL, "nothing to commit: " + stagedMarker + " was not written");
            }
            for (FileStatus child : fileSystem.listStatus(staging)) {
                if (child.getPath().getName().equals(markerName)) {
                    continue;
                }
                Path target = new Path(output, child.getPath().getName());
                HadoopFiles.delete(fileSystem, target);
                HadoopFiles.rename(fileSystem, child.getPath(), target);
            }
            HadoopFiles.rename(fileSystem, stagedMarker, marker);
        } catch (IOException exception) {
            throw HadoopFiles.failure("cannot commit " + staging + " into " + output, output.toString(), exception);
        }
        HadoopFiles.delete(fileSystem, staging);
    }

    /** Removes the staging area (after a failure); the previous committed output, if any, is untouched. */
    public void abort() {
        HadoopFiles.delete(fileSystem, staging);
    }
}

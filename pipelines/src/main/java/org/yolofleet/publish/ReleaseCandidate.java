package org.yolofleet.publish;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.model.ModelCheckpoint;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.train.CompletedRun;
import org.yolofleet.train.RunLayout;

import java.io.IOException;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * What a publish publishes: a complete training run ({@code run.json}; by default the runs root's {@code latest.json}),
 * its best checkpoint (or {@code publish.checkpoint}) read with the network's spec and classes, and the val split the
 * run validated on. A run that is not complete has no {@code run.json} and cannot be published.
 *
 * @param run           the complete run
 * @param checkpointUri the checkpoint published
 * @param model         the checkpoint's network, spec and classes
 * @param valSplit      the run's val split
 */
public record ReleaseCandidate(CompletedRun run, String checkpointUri, ModelCheckpoint.Contents model, ValSplit valSplit) {
    public ReleaseCandidate {
        requireNonNull(run, "run");
        requireNonNull(checkpointUri, "checkpointUri");
        requireNonNull(model, "model");
        requireNonNull(valSplit, "valSplit");
    }

    /** The candidate {@code config} names; the checkpoint is copied into {@code work} (DL4J reads local files). */
    public static ReleaseCandidate select(PublishConfig config, Configuration hadoop, Path work) {
        if (config.run().isBlank() && config.runsRoot().isBlank()) {
            throw new YoloFleetException(ErrorCode.CONFIG, "publish needs a run: set " + PublishConfig.PATH + ".run (--run) or"
                    + " yolofleet.train.runs-root (--runs-root), whose latest.json names the newest complete run");
        }
        String record = config.run().isBlank()
                ? new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(config.runsRoot()), RunLayout.LATEST).toString()
                : new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(config.run()), RunLayout.RUN_RECORD).toString();
        FileSystem fileSystem = HadoopFiles.fileSystem(record, hadoop);
        CompletedRun run = CompletedRun.read(fileSystem, new org.apache.hadoop.fs.Path(record)).orElseThrow(() -> new YoloFleetException(
                ErrorCode.NOT_FOUND, record + " does not exist: " + (config.run().isBlank()
                        ? "the runs root has no complete run yet (train writes latest.json when a run completes)"
                        : "the run is not complete (train writes run.json last); finish it with train --resume")));
        if (run.input().isBlank()) {
            throw new YoloFleetException(ErrorCode.CONFIG, record + " does not name the run's input (written before runs recorded it):"
                    + " retrain, so publish finds the val split the run validated on");
        }
        String checkpoint = config.checkpoint().isBlank() ? run.bestCheckpoint() : config.checkpoint();
        Path local = work.resolve("checkpoint.zip");
        try {
            HadoopFiles.fileSystem(checkpoint, hadoop).copyToLocalFile(false, new org.apache.hadoop.fs.Path(checkpoint),
                    new org.apache.hadoop.fs.Path(local.toUri()), true);
        } catch (IOException failure) {
            throw HadoopFiles.failure("cannot read the checkpoint", checkpoint, failure);
        }
        ModelCheckpoint.Contents model = ModelCheckpoint.read(local);
        if (!model.classNames().equals(run.classes())) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, checkpoint + " detects " + model.classNames() + ", the run " + run.runId()
                    + " trained " + run.classes());
        }
        return new ReleaseCandidate(run, checkpoint, model, ValSplit.of(run.input(), hadoop));
    }
}

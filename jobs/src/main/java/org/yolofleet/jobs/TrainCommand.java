package org.yolofleet.jobs;

import org.yolofleet.config.Hocon;
import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.yolofleet.spark.SparkSessions;
import org.yolofleet.train.TrainConfig;
import org.yolofleet.train.TrainStage;
import org.yolofleet.train.TrainSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code yolofleet train}: augment shards → Tiny-YOLOv2 trained with dl4j-spark parameter averaging, checkpoints, best.json. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train Tiny-YOLOv2 on augment shards with dl4j-spark's ParameterAveragingTrainingMaster: minibatches",
                "read from the tar shards on the executors, validation (VOC mAP@0.5, both protocols, per-class AP) after every",
                "epoch, an atomic checkpoint per epoch (checkpoints/epoch-NNN/model.zip + metrics.json), best.json and",
                "summary.txt. A run lives in <runs-root>/<run-id>/ (the id defaults to the start time, UTC) or in --output;",
                "when it completes, <runs-root>/latest.json names it (train.init.mode = previous starts the next run from its",
                "best checkpoint; train.init.mode = released from the best checkpoint of the run behind the release a publish",
                "channel serves, verified). --resume continues an unfinished run from its latest checkpoint; a run that would train no",
                "epoch fails (NOTHING_TO_TRAIN).",
                "Keys: yolofleet.train.* and yolofleet.model.* (conf/defaults.conf)."})
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configuration;

    @Option(names = "--input", paramLabel = "URI", description = "the augment output (shards.json); replaces yolofleet.train.input")
    String input;

    @Option(names = "--output", paramLabel = "URI", description = "an explicit run directory; replaces yolofleet.train.output")
    String output;

    @Option(names = "--runs-root", paramLabel = "URI", description = "where runs and latest.json live; replaces yolofleet.train.runs-root")
    String runsRoot;

    @Option(names = "--run-id", paramLabel = "ID", description = "the run under the runs root (default: the start time); replaces yolofleet.train.run-id")
    String runId;

    @Option(names = "--epochs", paramLabel = "N", description = "epochs to train; replaces yolofleet.train.epochs")
    Integer epochs;

    @Option(names = "--resume", description = "continue the unfinished run (--run-id or --output) from its latest checkpoint")
    boolean resume;

    @Option(names = "--overwrite", description = "replace the checkpoints of an earlier run in the output")
    boolean overwrite;

    @Override
    public Integer call() {
        Config raw = configuration.load(overrides());
        TrainSummary summary = run(TrainConfig.from(raw), raw);
        System.out.print(summary.text());
        return 0;
    }

    /** Runs the stage in the current (or a new) Spark session. */
    static TrainSummary run(TrainConfig config, Config raw) {
        config.memory().applyToThisJvm();
        SparkSession spark = SparkSessions.getOrCreate(raw, config::sparkSettings);
        return new TrainStage(spark, config, Clock.systemUTC()).run();
    }

    List<String> overrides() {
        List<String> extra = new ArrayList<>();
        if (input != null) {
            extra.add("train.input=" + Hocon.string(input));
        }
        if (output != null) {
            extra.add("train.output=" + Hocon.string(output));
        }
        if (runsRoot != null) {
            extra.add("train.runs-root=" + Hocon.string(runsRoot));
        }
        if (runId != null) {
            extra.add("train.run-id=" + Hocon.string(runId));
        }
        if (epochs != null) {
            extra.add("train.epochs=" + epochs);
        }
        if (resume) {
            extra.add("train.resume=true");
        }
        if (overwrite) {
            extra.add("train.overwrite=true");
        }
        return extra;
    }
}

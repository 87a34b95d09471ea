package org.yolofleet.jobs;

import org.yolofleet.config.Hocon;
import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.yolofleet.prepare.PrepareConfig;
import org.yolofleet.prepare.PrepareStage;
import org.yolofleet.prepare.PrepareSummary;
import org.yolofleet.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code yolofleet prepare}: VOC roots → a validated, split, anchored dataset plus its quarantine. */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = {"Read VOC datasets (Annotations/*.xml + JPEGImages/), validate every record, quarantine bad ones with",
                "a reason, split train/val stably, compute YOLO anchors, and commit a Parquet dataset with dataset.json.",
                "Keys: yolofleet.prepare.* and yolofleet.classes, yolofleet.aliases, yolofleet.model.* (conf/defaults.conf)."})
public final class PrepareCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configuration;

    @Option(names = "--input", paramLabel = "URI",
            description = "a VOC root, repeatable (file:/..., s3a://bucket/prefix); replaces yolofleet.prepare.inputs")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--output", paramLabel = "URI", description = "where the dataset goes; replaces yolofleet.prepare.output")
    String output;

    @Option(names = "--overwrite", description = "replace an existing dataset at the output")
    boolean overwrite;

    @Override
    public Integer call() {
        Config raw = configuration.load(overrides());
        PrepareSummary summary = run(PrepareConfig.from(raw), raw);
        System.out.print(summary.text());
        return 0;
    }

    /** Runs the stage in the current (or a new) Spark session. */
    static PrepareSummary run(PrepareConfig config, Config raw) {
        SparkSession spark = SparkSessions.getOrCreate(raw);
        return new PrepareStage(spark, config, Clock.systemUTC()).run();
    }

    List<String> overrides() {
        List<String> extra = new ArrayList<>();
        if (!inputs.isEmpty()) {
            extra.add("prepare.inputs=" + Hocon.list(inputs));
        }
        if (output != null) {
            extra.add("prepare.output=" + Hocon.string(output));
        }
        if (overwrite) {
            extra.add("prepare.overwrite=true");
        }
        return extra;
    }
}

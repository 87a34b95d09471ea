package org.yolofleet.jobs;

import org.yolofleet.config.Hocon;
import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.yolofleet.augment.AugmentConfig;
import org.yolofleet.augment.AugmentStage;
import org.yolofleet.augment.AugmentSummary;
import org.yolofleet.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code yolofleet augment}: a prepared dataset → augmented, network-sized WebDataset shards plus a preview sheet. */
@Command(name = "augment", mixinStandardHelpOptions = true,
        description = {"Turn a prepared dataset into training shards: K augmented copies of every train image (random crop/",
                "translate/scale jitter, letterbox or resize to the network input, HSV jitter, horizontal flip; boxes follow",
                "exactly) and one resized copy of every val image, packed in WebDataset tars (<key>.jpg + <key>.json) with",
                "shards.json, a preview.png contact sheet and quarantine.json. Byte-identical for any partitioning.",
                "Keys: yolofleet.augment.* and yolofleet.model.* (conf/defaults.conf)."})
public final class AugmentCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configuration;

    @Option(names = "--input", paramLabel = "URI", description = "the prepared dataset; replaces yolofleet.augment.input")
    String input;

    @Option(names = "--output", paramLabel = "URI", description = "where the shards go; replaces yolofleet.augment.output")
    String output;

    @Option(names = "--overwrite", description = "replace an existing augment output")
    boolean overwrite;

    @Override
    public Integer call() {
        Config raw = configuration.load(overrides());
        AugmentSummary summary = run(AugmentConfig.from(raw), raw);
        System.out.print(summary.text());
        return 0;
    }

    /** Runs the stage in the current (or a new) Spark session. */
    static AugmentSummary run(AugmentConfig config, Config raw) {
        SparkSession spark = SparkSessions.getOrCreate(raw);
        return new AugmentStage(spark, config, Clock.systemUTC()).run();
    }

    List<String> overrides() {
        List<String> extra = new ArrayList<>();
        if (input != null) {
            extra.add("augment.input=" + Hocon.string(input));
        }
        if (output != null) {
            extra.add("augment.output=" + Hocon.string(output));
        }
        if (overwrite) {
            extra.add("augment.overwrite=true");
        }
        return extra;
    }
}

package org.yolofleet.jobs;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.yolofleet.config.Hocon;
import org.yolofleet.publish.PublishConfig;
import org.yolofleet.publish.PublishStage;
import org.yolofleet.publish.PublishSummary;
import org.yolofleet.publish.compile.SearchPath;
import org.yolofleet.publish.store.ReleaseStoreOptions;
import org.yolofleet.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.security.PrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code yolofleet publish}: a complete run's best checkpoint → faithful exports → gates → a signed release and a channel. */
@Command(name = "publish", mixinStandardHelpOptions = true, subcommands = {PublishKeygenCommand.class, PublishVerifyCommand.class,
        PublishPromoteCommand.class, PublishRollbackCommand.class, PublishListCommand.class},
        description = {"Publish the best checkpoint of a complete training run (--run, else the runs root's latest.json) as a",
                "signed release: ONNX FP32 and FP16, a TensorFlow frozen graph (NCSDK 2), Darknet cfg + weights and the decode",
                "spec; each FP32 export run in its own runtime against the checkpoint on val images (EXPORT_MISMATCH otherwise);",
                "the regression gate against the channel's current release (MAP_REGRESSION; --force overrides, recorded); the",
                "vendor compilers that are installed (mvNCCompile -> .graph, compile_tool -> .blob); then",
                "<store>/releases/<model>/<version>/ written under a temporary prefix, verified, and the channel pointer",
                "<store>/channels/<model>/<channel>.json moved last. Keys: yolofleet.publish.* (conf/defaults.conf)."})
public final class PublishCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configuration;

    @Option(names = "--run", paramLabel = "URI", description = "the run directory to publish; replaces yolofleet.publish.run")
    String run;

    @Option(names = "--runs-root", paramLabel = "URI", description = "the runs root whose latest.json names the run; replaces yolofleet.train.runs-root")
    String runsRoot;

    @Option(names = "--checkpoint", paramLabel = "URI", description = "a model.zip to publish instead of the run's best")
    String checkpoint;

    @Option(names = "--store", paramLabel = "URI", description = "the release store; replaces yolofleet.publish.store.uri")
    String store;

    @Option(names = "--model", paramLabel = "NAME", description = "the model's name in the store; replaces yolofleet.publish.model")
    String model;

    @Option(names = "--channel", paramLabel = "NAME", description = "the channel to move; replaces yolofleet.publish.channel")
    String channel;

    @Option(names = "--version-name", paramLabel = "V", description = "the release's version (default: the run id); replaces yolofleet.publish.version")
    String version;

    @Option(names = "--signing-key", paramLabel = "FILE", description = "the Ed25519 private key (PEM); replaces yolofleet.publish.signing.private-key")
    String signingKey;

    @Option(names = "--force", description = "publish even if the regression gate refuses (the manifest records it)")
    boolean force;

    @Override
    public Integer call() {
        Config raw = configuration.load(overrides());
        System.out.print(run(raw).text());
        return 0;
    }

    /** Publishes with the configuration {@code raw} (Hadoop settings from the Spark session, like every stage; large val splits scored with it). */
    static PublishSummary run(Config raw) {
        PublishConfig config = PublishConfig.from(raw);
        ReleaseStoreOptions storeOptions = ReleaseStoreOptions.from(raw);
        SparkSession spark = SparkSessions.getOrCreate(raw);
        PrivateKey signingKey = config.signing().load(System.getenv(), spark.sparkContext().hadoopConfiguration());
        return new PublishStage(config, storeOptions, spark, signingKey, Clock.systemUTC(), SearchPath.fromEnvironment()).run();
    }

    List<String> overrides() {
        List<String> extra = new ArrayList<>();
        add(extra, "publish.run", run);
        add(extra, "train.runs-root", runsRoot);
        add(extra, "publish.checkpoint", checkpoint);
        add(extra, "publish.store.uri", store);
        add(extra, "publish.model", model);
        add(extra, "publish.channel", channel);
        add(extra, "publish.version", version);
        add(extra, "publish.signing.private-key", signingKey);
        if (force) {
            extra.add("publish.force=true");
        }
        return extra;
    }

    private static void add(List<String> extra, String key, String value) {
        if (value != null) {
            extra.add(key + "=" + Hocon.string(value));
        }
    }
}

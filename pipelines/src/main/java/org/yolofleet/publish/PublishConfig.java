package org.yolofleet.publish;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.yolofleet.config.ConfigReader;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.Ed25519Pem;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.publish.compile.CompilerConfig;
import org.yolofleet.spark.HadoopFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Map;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The publish stage's settings ({@code yolofleet.publish.*}, conf/defaults.conf), validated at start. It also reads
 * what it shares with other stages: the runs root ({@code train.runs-root}), the thresholds models are scored at
 * ({@code train.validation}, the evaluator training validated with) and the thresholds devices detect at
 * ({@code detect}, written into the decode spec).
 *
 * @param run          the run directory to publish; empty = the runs root's latest complete run
 * @param runsRoot     {@code train.runs-root}
 * @param checkpoint   a checkpoint to publish instead of the run's best; empty = the best
 * @param store        the release store's URI
 * @param model        the model's name in the store
 * @param channel      the channel this publish moves
 * @param version      the release's version; empty = the run id
 * @param force        publish even when the regression gate refuses
 * @param faithfulness the export checks
 * @param maxMapDrop   the regression gate's allowed drop of val mAP@0.5
 * @param signing      where the signing key comes from
 * @param scoring      the thresholds models are scored on the val split at
 * @param deployment   the thresholds devices detect at (the decode spec's defaults)
 * @param compilers    the vendor compilers
 * @param distributedAbove the val split size above which its mAP is computed with Spark
 *                     ({@code train.validation.distributed-above}, as training validated)
 */
public record PublishConfig(String run, String runsRoot, String checkpoint, String store, String model, String channel, String version,
                            boolean force, Faithfulness faithfulness, double maxMapDrop, Signing signing, DetectionThresholds scoring,
                            DetectionThresholds deployment, CompilerConfig compilers, int distributedAbove) {
    public static final String PATH = "yolofleet.publish";
    /** A model, channel or version name: one safe path segment. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /**
     * @param images           val images every FP32 export is compared on
     * @param tolerance        the largest raw-output error of an FP32 export
     * @param fp16MaxMapDrop   the largest val mAP@0.5 drop of the FP16 export against FP32
     */
    public record Faithfulness(int images, double tolerance, double fp16MaxMapDrop) {
    }

    /** A key location with a URI scheme of two letters or more (a Windows drive letter is not one). */
    private static final Pattern HADOOP_URI = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:");

    /** @param privateKey a path or URI of the PEM private key, or empty; @param privateKeyEnv the variable holding the PEM otherwise */
    public record Signing(String privateKey, String privateKeyEnv) {
        /** {@link #load(Map, Configuration)} for a key that is a local file or in the environment (no Hadoop file system). */
        public PrivateKey load(Map<String, String> environment) {
            return load(environment, new Configuration(false));
        }

        /**
         * The private key: the PEM file {@code privateKey} names — a local path, or a Hadoop URI ({@code s3://}, {@code s3a://},
         * {@code hdfs://}: on EMR the key lives in a bucket only the job role reads, never in the cluster's configuration) read
         * with {@code hadoop} — else the PEM text in {@code privateKeyEnv} of {@code environment}.
         */
        public PrivateKey load(Map<String, String> environment, Configuration hadoop) {
            if (!privateKey.isBlank()) {
                if (!HADOOP_URI.matcher(privateKey).find()) {
                    return SigningKeys.readPrivateKey(Path.of(privateKey));
                }
                org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(privateKey);
                byte[] pem = HadoopFiles.readIfExists(HadoopFiles.fileSystem(privateKey, hadoop), file).orElseThrow(() ->
                        new YoloFleetException(ErrorCode.CONFIG, PATH + ".signing.private-key = " + privateKey + " does not exist"));
                return Ed25519Pem.readPrivateKey(new String(pem, StandardCharsets.US_ASCII), "private key file " + privateKey);
            }
            if (privateKeyEnv.isBlank() || !environment.containsKey(privateKeyEnv)) {
                throw new YoloFleetException(ErrorCode.CONFIG, "publish signs every release and has no key: set " + PATH
                        + ".signing.private-key to a PEM file" + (privateKeyEnv.isBlank() ? "" : " or the environment variable " + privateKeyEnv
                        + " to its text") + " (make a pair with `yolofleet publish keygen`)");
            }
            return SigningKeys.privateKeyFromEnvironment(privateKeyEnv, environment);
        }
    }

    public PublishConfig {
        requireNonNull(run, "run");
        requireNonNull(runsRoot, "runsRoot");
        requireNonNull(checkpoint, "checkpoint");
        requireNonNull(store, "store");
        requireNonNull(faithfulness, "faithfulness");
        requireNonNull(signing, "signing");
        requireNonNull(scoring, "scoring");
        requireNonNull(deployment, "deployment");
        requireNonNull(compilers, "compilers");
        if (distributedAbove < 0) {
            throw new IllegalArgumentException("distributed-above must not be negative, got " + distributedAbove);
        }
    }

    public static PublishConfig from(Config config) {
        ConfigReader publish = new ConfigReader(config, PATH);
        ConfigReader faithfulness = publish.at("faithfulness");
        ConfigReader signing = publish.at("signing");
        String run = publish.string("run");
        String runsRoot = config.getString("yolofleet.train.runs-root");
        return new PublishConfig(run, runsRoot, publish.string("checkpoint"), publish.at("store").nonEmptyString("uri", "the release store's URI"),
                name(publish, "model"), name(publish, "channel"), optionalName(publish, "version"), publish.bool("force"),
                new Faithfulness(faithfulness.integer("images", 1, 10_000), faithfulness.number("tolerance", 1e-9, 1, true),
                        faithfulness.number("fp16-max-map-drop", 0, 1, true)),
                publish.at("gate").number("max-map-drop", 0, 1, true),
                new Signing(signing.string("private-key"), signing.string("private-key-env")),
                thresholds(new ConfigReader(config, "yolofleet.train.validation"), "threshold"),
                thresholds(new ConfigReader(config, "yolofleet.detect"), "threshold"),
                CompilerConfig.from(config),
                new ConfigReader(config, "yolofleet.train.validation").integer("distributed-above", 0, Integer.MAX_VALUE));
    }

    public PublishConfig withForce(boolean newForce) {
        return new PublishConfig(run, runsRoot, checkpoint, store, model, channel, version, newForce, faithfulness, maxMapDrop, signing, scoring,
                deployment, compilers, distributedAbove);
    }

    private static DetectionThresholds thresholds(ConfigReader section, String score) {
        return new DetectionThresholds(section.number(score, 0, 1, false), section.number("nms-iou", 0, 1, true));
    }

    private static String name(ConfigReader publish, String key) {
        String value = publish.nonEmptyString(key, "a name of letters, digits, '.', '_' and '-'");
        return checkedName(publish, key, value);
    }

    private static String optionalName(ConfigReader publish, String key) {
        String value = publish.string(key);
        return value.isEmpty() ? value : checkedName(publish, key, value);
    }

    private static String checkedName(ConfigReader publish, String key, String value) {
        if (!NAME.matcher(value).matches()) {
            throw new YoloFleetException(ErrorCode.CONFIG, publish.key(key) + " = \"" + value + "\": use letters, digits, '.', '_' and '-',"
                    + " starting with a letter or digit (it is a path segment in the store)");
        }
        return value;
    }
}

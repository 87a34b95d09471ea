package org.yolofleet.jobs;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.yolofleet.config.ConfigReader;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.ErrorType;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.prelabel.PrelabelConfig;
import org.yolofleet.prelabel.PrelabelStage;
import org.yolofleet.prelabel.PrelabelSummary;
import org.yolofleet.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code yolofleet prelabel}: a model's detections on new images written as VOC XML beside them, for people to correct. */
@Command(name = "prelabel", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Pre-label new images: run a model (a release, verified with --trusted-key; or model.onnx or a",
                "checkpoint, run unverified) over a folder of images",
                "(<dataset>/JPEGImages, local or s3a://) as a Spark job and write one Pascal VOC annotation per image",
                "into <dataset>/Annotations, marked verified=\"no\", the score in a comment, boxes in VOC's 1-based",
                "integer pixels. LabelImg and CVAT (VOC import) open them; `prepare` reads them back. An existing",
                "annotation is kept unless --overwrite. Exit code 4 (bad data) when some images could not be read.",
                "Keys: yolofleet.detect.threshold, yolofleet.detect.nms-iou (the defaults of --threshold and --nms),",
                "yolofleet.spark.* (the session, s3a settings).",
                ""})
public final class PrelabelCommand implements Callable<Integer> {
    @Option(names = "--images", paramLabel = "URI", required = true, description = "the folder of new images, e.g. s3a://photos/site-7/JPEGImages")
    String images;

    @Option(names = "--model", paramLabel = "URI", required = true,
            description = "a release directory, a model.onnx or a DL4J checkpoint (*.zip); local or a Hadoop URI")
    String model;

    @Option(names = "--trusted-key", paramLabel = "PEM",
            description = "the publisher's Ed25519 public key a release --model is verified with (needed for a release; an export or checkpoint runs unverified)")
    String trustedKey;

    @Option(names = "--output", paramLabel = "URI", description = "where the XML goes (default: Annotations beside the images' folder)")
    String output;

    @Option(names = "--threshold", paramLabel = "SCORE", description = "lowest score written (default: yolofleet.detect.threshold)")
    Double threshold;

    @Option(names = "--nms", paramLabel = "IOU", description = "per-class NMS IoU threshold (default: yolofleet.detect.nms-iou)")
    Double nms;

    @Option(names = "--overwrite", description = "replace existing annotations (they may be a person's work)")
    boolean overwrite;

    @Mixin
    ConfigOptions configuration;

    @Override
    public Integer call() {
        Config raw = configuration.load(List.of());
        ConfigReader keys = new ConfigReader(raw, "yolofleet.detect");
        PrelabelConfig config = PrelabelConfig.of(images, model, Optional.ofNullable(output),
                threshold == null ? keys.number("threshold", 0, 1, true) : threshold,
                nms == null ? keys.number("nms-iou", 0, 1, true) : nms, overwrite);
        if (trustedKey != null) {
            config = config.withTrustedKey(trustedKey);
        }
        SparkSession spark = SparkSessions.getOrCreate(raw);
        PrelabelSummary summary = new PrelabelStage(spark, config, Clock.systemUTC()).run();
        System.out.print(summary.text());
        return summary.skipped().isEmpty() ? 0 : ErrorType.BAD_DATA.exitCode();
    }
}

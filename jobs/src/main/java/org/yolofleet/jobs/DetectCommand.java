package org.yolofleet.jobs;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.yolofleet.config.ConfigReader;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.ErrorType;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ClassNames;
import org.yolofleet.detect.DetectRequest;
import org.yolofleet.detect.DetectRun;
import org.yolofleet.detect.DetectSummary;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.ModelLoader;
import org.yolofleet.detect.ModelSource;
import org.yolofleet.detect.spark.SourcedImage;
import org.yolofleet.detect.spark.SparkDetectRun;
import org.yolofleet.detect.spark.SparkDetectSummary;
import org.yolofleet.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code yolofleet detect}: a model and images in, JSON lines (and annotated images) out. */
@Command(name = "detect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Run a detector on images. One JSON line per detection goes to standard output",
                "(or to DIR/detections.jsonl with --output, next to a copy of each image with",
                "its boxes drawn):",
                "  {\"image\":..,\"class\":..,\"class_id\":..,\"score\":..,\"box\":[xmin,ymin,xmax,ymax]}",
                "Boxes are in pixels of the upright image. *.onnx runs in ONNX Runtime; a DL4J",
                "checkpoint (*.zip) and a Darknet *.cfg with --weights run in DL4J. Progress and",
                "the summary go to standard error. Keys: yolofleet.detect.threshold, yolofleet.detect.nms-iou",
                "(the defaults of --threshold and --nms), yolofleet.prepare.image.max-pixels,",
                "yolofleet.spark.settings (its spark.hadoop.* entries, for s3a access).",
                "With --spark (or with --output and more images than yolofleet.detect.spark-above-images) it runs as a",
                "Spark job (yolofleet.spark.*; spark-submit's settings win): the executors run the model (one per",
                "executor JVM, ONNX Runtime) and --output gets parquet/ and jsonl/ (one JSON line per image),",
                "partitioned by source (the directory or prefix an image was found in), committed last.",
                ""})
public final class DetectCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "model.onnx (ONNX Runtime), checkpoint.zip (yolofleet DL4J checkpoint) or model.cfg (Darknet, with --weights);"
                    + " with --spark also a release directory or a Hadoop URI (s3a://...)")
    String model;

    @Option(names = "--weights", paramLabel = "FILE", description = "the Darknet .weights of a --model .cfg")
    Path weights;

    @Option(names = "--names", paramLabel = "FILE|LIST",
            description = "class names: a Darknet .names file (one per line) or a comma list; replaces the model's own"
                    + " (a Darknet cfg has none: class_0, class_1, ...)")
    String names;

    @Option(names = "--threshold", paramLabel = "SCORE",
            description = "lowest score reported, objectness x class probability (default: yolofleet.detect.threshold, 0.25)")
    Double threshold;

    @Option(names = "--nms", paramLabel = "IOU",
            description = "per-class non-maximum suppression IoU threshold (default: yolofleet.detect.nms-iou, 0.45)")
    Double nms;

    @Option(names = "--output", paramLabel = "DIR",
            description = "write DIR/detections.jsonl and the annotated images there; a local directory or a Hadoop URI"
                    + " (with --spark, required: DIR/parquet/ and DIR/jsonl/ by source)")
    String output;

    @Option(names = "--spark",
            description = "run as a Spark job over the images (yolofleet.spark.master, or spark-submit's); needs --output")
    boolean spark;

    @Mixin
    ConfigOptions configuration;

    @Parameters(paramLabel = "IMAGE|DIR|URI", arity = "1..*",
            description = "images, directories of images (*.jpg, *.jpeg, *.png, *.bmp, *.gif, *.tif, *.tiff) or their Hadoop"
                    + " URIs (file:, s3a:)")
    List<String> inputs = new ArrayList<>();

    @Override
    public Integer call() {
        Config config = configuration.load(List.of());
        DetectionThresholds thresholds = thresholds(config);
        long maxImagePixels = new ConfigReader(config, "yolofleet.prepare.image").longInteger("max-pixels", 1, Long.MAX_VALUE);
        DetectRequest request = new DetectRequest(inputs, thresholds, Optional.ofNullable(output), maxImagePixels);
        if (spark || aboveSparkSize(config)) {
            return runSpark(config, request);
        }
        ModelSource source = new ModelSource(Path.of(model), Optional.ofNullable(weights), Optional.ofNullable(names).map(ClassNames::parse));
        DetectSummary summary;
        try (Detector detector = ModelLoader.load(source)) {
            summary = new DetectRun(detector, request, hadoopConfiguration(config)).run(System.out, System.err);
        }
        System.out.flush();
        System.err.print(summary.text());
        return summary.failures().isEmpty() ? 0 : ErrorType.BAD_DATA.exitCode(); // some images could not be read or decoded
    }

    /**
     * Whether {@code yolofleet.detect.spark-above-images} (0: never) asks for the Spark job: with {@code --output}, a model
     * the job takes (no {@code --weights}, no {@code --names}) and more images than it in the inputs.
     */
    private boolean aboveSparkSize(Config config) {
        long limit = new ConfigReader(config, "yolofleet.detect").longInteger("spark-above-images", 0, Long.MAX_VALUE);
        if (limit == 0 || output == null || weights != null || names != null) {
            return false;
        }
        int images = SourcedImage.resolve(inputs, hadoopConfiguration(config)).size();
        if (images <= limit) {
            return false;
        }
        System.err.println("detect: " + images + " images, more than yolofleet.detect.spark-above-images = " + limit
                + ": running as a Spark job (--spark)");
        return true;
    }

    private int runSpark(Config config, DetectRequest request) {
        if (weights != null || names != null) {
            throw new YoloFleetException(ErrorCode.CONFIG, "detect --spark takes " + (weights != null ? "no --weights" : "no --names")
                    + ": the executors run an ONNX export, a release directory or a DL4J checkpoint, with the class names it carries"
                    + " (export a Darknet model with `yolofleet publish`, or run detect without --spark)");
        }
        if (request.output().isEmpty()) {
            throw new YoloFleetException(ErrorCode.CONFIG, "detect --spark needs --output URI: the Parquet and JSON-lines output go"
                    + " there (a directory or prefix, e.g. s3a://bucket/detections/2026-12-06)");
        }
        SparkDetectSummary summary = new SparkDetectRun(SparkSessions.getOrCreate(config), model, request, Clock.systemUTC())
                .run(System.err);
        System.err.print(summary.text());
        return summary.failed() == 0 ? 0 : ErrorType.BAD_DATA.exitCode(); // some images could not be read or decoded
    }

    /** The options when given, else {@code yolofleet.detect.*} (conf/defaults.conf &lt; --conf &lt; --set). */
    private DetectionThresholds thresholds(Config config) {
        ConfigReader keys = new ConfigReader(config, "yolofleet.detect");
        double score = threshold == null ? keys.number("threshold", 0, 1, true) : inUnitRange("--threshold", threshold);
        double iou = nms == null ? keys.number("nms-iou", 0, 1, true) : inUnitRange("--nms", nms);
        return new DetectionThresholds(score, iou);
    }

    private static double inUnitRange(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new YoloFleetException(ErrorCode.CONFIG, option + " " + value + " is out of range: allowed [0, 1]");
        }
        return value;
    }

    /** Hadoop settings from {@code yolofleet.spark.settings}: each {@code spark.hadoop.KEY} as {@code KEY}, as Spark does. */
    static Configuration hadoopConfiguration(Config config) {
        Configuration hadoop = new Configuration();
        String prefix = "spark.hadoop.";
        for (Map.Entry<String, String> setting : new ConfigReader(config, "yolofleet.spark").stringMap("settings").entrySet()) {
            if (setting.getKey().startsWith(prefix)) {
                hadoop.set(setting.getKey().substring(prefix.length()), setting.getValue());
            }
        }
        return hadoop;
    }
}

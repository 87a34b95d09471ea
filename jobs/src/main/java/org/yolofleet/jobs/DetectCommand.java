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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
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
                ""})
public final class DetectCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "model.onnx (ONNX Runtime), checkpoint.zip (yolofleet DL4J checkpoint) or model.cfg (Darknet, with --weights)")
    Path model;

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
            description = "write DIR/detections.jsonl and the annotated images there; a local directory or a Hadoop URI")
    String output;

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
        ModelSource source = new ModelSource(model, Optional.ofNullable(weights), Optional.ofNullable(names).map(ClassNames::parse));
        DetectSummary summary;
        try (Detector detector = ModelLoader.load(source)) {
            summary = new DetectRun(detector, request, hadoopConfiguration(config)).run(System.out, System.err);
        }
        System.out.flush();
        System.err.print(summary.text());
        return summary.failures().isEmpty() ? 0 : ErrorType.BAD_DATA.exitCode(); // some images could not be read or decoded
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

package org.yolofleet.bench;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.core.eval.VocEvaluator;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.dataset.SampleDatasetGenerator;
import org.yolofleet.dataset.SampleOptions;
import org.yolofleet.detect.DetectRequest;
import org.yolofleet.detect.DetectRun;
import org.yolofleet.detect.DetectSummary;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.ModelLoader;
import org.yolofleet.detect.ModelSource;
import org.yolofleet.detect.spark.SparkDetectRun;
import org.yolofleet.detect.spark.SparkDetectSummary;
import org.yolofleet.jobs.LocalDemo;
import org.yolofleet.ml.eval.DetectionFrame;
import org.yolofleet.ml.eval.DistributedEvaluator;
import org.yolofleet.ml.eval.GroundTruthFrame;
import org.yolofleet.spark.SparkSessions;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * {@code detect --spark} ({@link SparkDetectRun}, Spark local[2]) against the one-JVM {@code detect} ({@link DetectRun})
 * on the same generated images (the demo's sample, {@link LocalDemo#sampleOptions}) with a 416 px Tiny-YOLOv2 of the
 * demo's classes (random weights: speed does not depend on them), and the distributed evaluator
 * ({@link DistributedEvaluator}) against the driver's ({@link VocEvaluator}) on synthetic val detections.
 *
 * <p>{@code bench/run detect-spark [--images 1000] [--detections 5000] [--keep DIR]}; writes {@code detect-spark.txt}.
 * {@code --keep} leaves the generated images ({@code DIR/sample/JPEGImages}) and the model ({@code DIR/model.onnx}) there.
 */
public final class DetectSparkBenchmark {
    private static final int SIZE = 416;

    private DetectSparkBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        Map<String, String> options = BenchmarkSupport.options(arguments,
                "DetectSparkBenchmark --results DIR [--images 1000] [--detections 5000] [--keep DIR]");
        Path results = Path.of(options.getOrDefault("results", "bench/results"));
        int imageCount = Integer.parseInt(options.getOrDefault("images", "1000"));
        int detectionCount = Integer.parseInt(options.getOrDefault("detections", "5000"));
        String loadBefore = BenchmarkSupport.loadAverage();
        Optional<Path> keep = Optional.ofNullable(options.get("keep")).map(Path::of);
        Path work = keep.isPresent() ? Files.createDirectories(keep.get()) : Files.createTempDirectory("yolofleet-detect-spark-bench");

        System.out.printf("detect-spark benchmark: generating %d images ...%n", imageCount);
        SampleOptions sample = LocalDemo.sampleOptions(LocalDemo.DEFAULT_SEED, imageCount, false);
        new SampleDatasetGenerator(sample).generate(work.resolve("sample"));
        Path images = work.resolve("sample").resolve(SampleDatasetGenerator.IMAGES);
        new SampleDatasetGenerator(LocalDemo.sampleOptions(LocalDemo.DEFAULT_SEED + 1, 32, false)).generate(work.resolve("warm-up"));
        Path warmUpImages = work.resolve("warm-up").resolve(SampleDatasetGenerator.IMAGES);
        ModelSpec spec = TinyYoloV2.spec(sample.classCount(), TinyYoloV2.VOC_ANCHORS, SIZE, SIZE, ResizeMode.LETTERBOX);
        Path model = work.resolve("model.onnx");
        Files.write(model, OnnxExporter.withDefaults().export(spec, OnnxRuntimeBenchmark.randomWeights(spec, 1).layers(),
                sample.classes(), "detect-spark benchmark"));
        DetectionThresholds thresholds = DetectionThresholds.DEFAULTS;
        SparkSession spark = SparkSessions.getOrCreate(ConfigLoader.load(Optional.empty(), List.of("spark.master=\"local[2]\"")));
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);

        // warm-up (not timed): the JIT, ONNX Runtime's first runs, Spark's first-job costs
        oneJvm(model, warmUpImages, thresholds, discard);
        sparkDetect(spark, model, warmUpImages, work.resolve("warm-up-out"), thresholds, discard);

        System.out.println("detect-spark benchmark: one-JVM detect ...");
        DetectSummary oneJvm = oneJvm(model, images, thresholds, discard);
        System.out.println("detect-spark benchmark: detect --spark on local[2] ...");
        SparkDetectSummary sparkSummary = sparkDetect(spark, model, images, work.resolve("spark-out"), thresholds, System.out);
        double oneJvmRate = oneJvm.images() / (oneJvm.elapsedNanos() / 1e9);
        double sparkRate = sparkSummary.imagesPerSecond();
        if (sparkSummary.detections() != oneJvm.detections() || sparkSummary.failed() != oneJvm.failures().size()) {
            throw new IllegalStateException("the Spark job found " + sparkSummary.detections() + " detections, the one-JVM run "
                    + oneJvm.detections());
        }

        System.out.printf("detect-spark benchmark: evaluation of %d synthetic val detections ...%n", detectionCount);
        EvalTimes eval = evaluation(spark, sample.classCount(), detectionCount);
        spark.stop();

        String report = String.join(System.lineSeparator(),
                "yolofleet detect-spark benchmark (" + Instant.now() + ")",
                String.format(Locale.ROOT, "machine: %d cores available, shared with other builds and benchmarks (load average before: %s,"
                                + " after: %s), Java %s, -Xmx%d MiB", Runtime.getRuntime().availableProcessors(), loadBefore,
                        BenchmarkSupport.loadAverage(), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20),
                String.format(Locale.ROOT, "input: %d generated images (the demo's sample, seed %d; 500x375 to 640x480 JPEG), one folder",
                        imageCount, LocalDemo.DEFAULT_SEED),
                String.format(Locale.ROOT, "model: Tiny-YOLOv2 %dx%d letterbox, %d classes, random weights, ONNX Runtime; threshold %.2f, NMS %.2f",
                        SIZE, SIZE, sample.classCount(), thresholds.score(), thresholds.nonMaxSuppressionIou()),
                "",
                String.format(Locale.ROOT, "%-44s %7.1f images/s  (%.1f s, %d detections; JSON lines only, no annotated images)",
                        "one-JVM detect (DetectRun)", oneJvmRate, oneJvm.elapsedNanos() / 1e9, oneJvm.detections()),
                String.format(Locale.ROOT, "%-44s %7.1f images/s  (%.1f s, %d detections; Parquet + JSON lines, committed)",
                        "detect --spark, local[2] (SparkDetectRun)", sparkRate, sparkSummary.elapsedNanos() / 1e9, sparkSummary.detections()),
                String.format(Locale.ROOT, "ratio Spark job / one-JVM detect              %.2f", sparkRate / oneJvmRate),
                "",
                String.format(Locale.ROOT, "evaluation: %d synthetic val detections on %d images (%d ground-truth boxes, %d classes)",
                        eval.detections(), eval.images(), eval.truths(), sample.classCount()),
                String.format(Locale.ROOT, "%-44s %7.0f ms   (median of %d)", "driver eval (VocEvaluator)", eval.driverMillis(), EvalTimes.REPETITIONS),
                String.format(Locale.ROOT, "%-44s %7.0f ms   (median of %d)", "distributed eval, local[2] (DistributedEvaluator)",
                        eval.distributedMillis(), EvalTimes.REPETITIONS),
                String.format(Locale.ROOT, "ratio distributed / driver                    %.1f   (VOC07 mAP@0.5 %.6f both; |difference| %.1e)",
                        eval.distributedMillis() / eval.driverMillis(), eval.map(), eval.mapDifference()),
                "",
                "The ratios are the point: where the job beats or trails the one-JVM run on one machine, and what Spark's jobs and",
                "shuffles cost the evaluator against the driver's loop; both Spark paths are for inputs that do not fit one JVM.",
                "");
        System.out.print(report);
        Files.createDirectories(results);
        Files.writeString(results.resolve("detect-spark.txt"), report, StandardCharsets.UTF_8);
        if (keep.isEmpty()) {
            BenchmarkSupport.deleteTree(work);
        }
    }

    private static DetectSummary oneJvm(Path model, Path images, DetectionThresholds thresholds, PrintStream discard) {
        DetectRequest request = new DetectRequest(List.of(images.toString()), thresholds, Optional.empty(), DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        try (Detector detector = ModelLoader.load(ModelSource.of(model))) {
            return new DetectRun(detector, request, new Configuration()).run(discard, System.out);
        }
    }

    private static SparkDetectSummary sparkDetect(SparkSession spark, Path model, Path images, Path output, DetectionThresholds thresholds,
                                                  PrintStream progress) {
        DetectRequest request = new DetectRequest(List.of(images.toString()), thresholds, Optional.of(output.toString()),
                DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        return new SparkDetectRun(spark, model.toString(), request, Clock.systemUTC()).run(progress);
    }

    private record EvalTimes(int images, int truths, int detections, double driverMillis, double distributedMillis, double map,
                             double mapDifference) {
        static final int REPETITIONS = 3;
    }

    /** Ground truth of 1 to 4 boxes an image and detections near them (and false ones), timed both ways after a warm-up. */
    private static EvalTimes evaluation(SparkSession spark, int classCount, int detectionCount) {
        Random random = new Random(5);
        List<GroundTruth> truths = new ArrayList<>();
        List<Prediction> predictions = new ArrayList<>();
        int images = Math.max(1, detectionCount / 5);
        for (int image = 0; image < images; image++) {
            String id = String.format(Locale.ROOT, "val_%05d", image);
            int boxes = 1 + random.nextInt(4);
            for (int box = 0; box < boxes; box++) {
                double x = random.nextDouble() * 400;
                double y = random.nextDouble() * 300;
                double width = 20 + random.nextDouble() * 120;
                double height = 20 + random.nextDouble() * 120;
                int classId = random.nextInt(classCount);
                truths.add(new GroundTruth(id, classId, new BoundingBox(x, y, x + width, y + height), random.nextDouble() < 0.05));
            }
        }
        while (predictions.size() < detectionCount) {
            GroundTruth truth = truths.get(random.nextInt(truths.size()));
            BoundingBox box = truth.box();
            double jitter = 0.25 * (box.xmax() - box.xmin());
            int classId = random.nextDouble() < 0.85 ? truth.classId() : random.nextInt(classCount);
            double dx = (random.nextDouble() - 0.5) * jitter;
            double dy = (random.nextDouble() - 0.5) * jitter;
            double score = Math.round(random.nextDouble() * 1000) / 1000.0; // ties, as a rounded score has
            predictions.add(new Prediction(truth.imageId(), new Detection(classId, score,
                    new BoundingBox(box.xmin() + dx, box.ymin() + dy, box.xmax() + dx, box.ymax() + dy))));
        }
        List<Prediction> ranked = new ArrayList<>(predictions);
        ranked.sort(DistributedEvaluator.RANKING);

        VocEvaluator driver = new VocEvaluator(classCount);
        DistributedEvaluator distributed = new DistributedEvaluator(classCount);
        Evaluation driverResult = driver.evaluate(truths, ranked);
        Evaluation distributedResult = distributed.evaluate(DetectionFrame.of(spark, predictions), GroundTruthFrame.of(spark, truths));
        double[] driverMillis = new double[EvalTimes.REPETITIONS];
        double[] distributedMillis = new double[EvalTimes.REPETITIONS];
        for (int repetition = 0; repetition < EvalTimes.REPETITIONS; repetition++) {
            long start = System.nanoTime();
            driverResult = driver.evaluate(truths, ranked);
            driverMillis[repetition] = (System.nanoTime() - start) / 1e6;
            start = System.nanoTime();
            distributedResult = distributed.evaluate(DetectionFrame.of(spark, predictions), GroundTruthFrame.of(spark, truths));
            distributedMillis[repetition] = (System.nanoTime() - start) / 1e6;
        }
        double map = driverResult.elevenPointMeanAveragePrecision().orElse(Double.NaN);
        double difference = Math.abs(map - distributedResult.elevenPointMeanAveragePrecision().orElse(Double.NaN));
        if (!(difference <= 1e-9)) {
            throw new IllegalStateException("distributed mAP differs from the driver's by " + difference);
        }
        return new EvalTimes(images, truths.size(), predictions.size(), median(driverMillis), median(distributedMillis), map, difference);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}

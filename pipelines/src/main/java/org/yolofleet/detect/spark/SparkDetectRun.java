package org.yolofleet.detect.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.DetectionJsonLine;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.detect.DetectRequest;
import org.yolofleet.detect.DetectRun;
import org.yolofleet.ml.DetectorRuntime;
import org.yolofleet.ml.ExecutorModels;
import org.yolofleet.ml.YoloDetector;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.SerializableHadoopConfiguration;
import org.yolofleet.spark.StagedOutput;
import org.yolofleet.stage.RunIds;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

/**
 * {@code yolofleet detect --spark}: the one-JVM {@code detect} ({@link DetectRun}) as a Spark job, for image archives
 * too large for one machine. The driver lists the images ({@link SourcedImage}: the same images {@code detect} finds,
 * each with its source) and checks that the model loads; the executors read each image, run {@link YoloDetector} (one
 * model per executor JVM, ONNX Runtime; the same decoder, preprocessing, region decoder, NMS and clipping as
 * {@code detect}, so the same detections) and keep, for an image that could not be read or decoded, the reason. The job
 * goes on past such images: they are counted, listed in the summary and recorded in the output with their error.
 *
 * <p>The output directory (any Hadoop URI) gets {@value #PARQUET}/ (columns {@code image}, {@code detections}
 * ({@link org.yolofleet.ml.DetectionColumn}), {@code error}) and {@value #JSON_LINES}/ (one JSON line per image,
 * {@link DetectionJsonLine#ofImage}/{@link DetectionJsonLine#ofFailure}), both partitioned by source
 * ({@code source=<escaped source>/}, as Spark partitions), and the marker {@value #MARKER} with the counts. All of it is
 * written into a staging folder and committed last ({@link StagedOutput}): a reader never sees a partial output, and a
 * previous output there is replaced only by a complete one. Progress (images done, rate, ETA) is printed every few
 * seconds as tasks finish, and the run ends with a {@link SparkDetectSummary}.
 */
public final class SparkDetectRun {
    /** The Parquet output's folder. */
    public static final String PARQUET = "parquet";
    /** The JSON-lines output's folder (Spark's text files: {@code part-*.txt}, one JSON line per image). */
    public static final String JSON_LINES = "jsonl";
    /** Written last; holds the run's counts. */
    public static final String MARKER = "_detect.json";
    /** Images a Spark task takes at most, so that progress moves and a lost task costs little. */
    static final int IMAGES_PER_TASK = 64;

    private static final long PROGRESS_INTERVAL_MILLIS = 5_000;
    private static final StructType LINES = new StructType()
            .add("value", DataTypes.StringType, false)
            .add("source", DataTypes.StringType, false);

    private final SparkSession spark;
    private final String modelUri;
    private final DetectRequest request;
    private final Clock clock;

    /**
     * @param modelUri an ONNX export, a release directory holding one, or a DL4J checkpoint; a local path or a Hadoop URI
     * @param request the inputs, thresholds and the output, which is required here
     */
    public SparkDetectRun(SparkSession spark, String modelUri, DetectRequest request, Clock clock) {
        this.spark = requireNonNull(spark, "spark");
        this.modelUri = requireNonNull(modelUri, "modelUri");
        this.request = requireNonNull(request, "request");
        this.clock = requireNonNull(clock, "clock");
        if (request.output().isEmpty()) {
            throw new YoloFleetException(ErrorCode.CONFIG, "detect --spark needs --output URI: the Parquet and JSON-lines output go"
                    + " there (a directory or prefix, e.g. s3a://bucket/detections/2026-12-06)");
        }
    }

    /**
     * Runs and commits the output.
     *
     * @param progress where progress lines go (standard error on the command line)
     * @throws YoloFleetException NOT_FOUND for a missing input or model, CONFIG when the inputs hold no image, IO / S3_ACCESS
     *                            when a file system fails (the staging folder is removed, a previous output left as it was)
     */
    public SparkDetectSummary run(PrintStream progress) {
        requireNonNull(progress, "progress");
        long start = System.nanoTime();
        String output = request.output().orElseThrow();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        // loaded here first so that a wrong model fails before any listing; in local mode the executors share this one
        String model = ExecutorModels.detector(modelUri, DetectorRuntime.ONNX_RUNTIME, hadoop).model().describe()
                + " (" + DetectorRuntime.ONNX_RUNTIME.key() + " on the executors of " + spark.sparkContext().master() + ")";
        List<SourcedImage> images = SourcedImage.resolve(request.inputs(), hadoop);
        int tasks = tasks(images.size(), spark.sparkContext().defaultParallelism());
        progress.printf(Locale.ROOT, "detect: %d images, %d sources, %d Spark tasks on %s%n", images.size(),
                images.stream().map(SourcedImage::source).distinct().count(), tasks, spark.sparkContext().master());

        String runId = RunIds.newRunId(clock.instant());
        StagedOutput staged = StagedOutput.open(output, MARKER, runId, true, hadoop);
        try {
            LongAccumulator done = spark.sparkContext().longAccumulator("detect: images done");
            List<Row> listed = images.stream().map(image -> RowFactory.create(image.image(), image.source())).toList();
            Dataset<Row> read = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(listed, tasks),
                            ImageReading.IMAGES)
                    .mapPartitions(new ImageReading(new SerializableHadoopConfiguration(hadoop)), Encoders.row(ImageReading.READ));
            YoloDetector detector = new YoloDetector().setModelUri(modelUri).setInputCol("content")
                    .setThreshold(request.thresholds().score()).setNms(request.thresholds().nonMaxSuppressionIou());
            Dataset<Row> detected = detector.transform(read);
            Dataset<Row> results = detected.mapPartitions(new DetectedImages(detected.schema(), detector.getOutputCol(),
                    request.maxImagePixels(), done), Encoders.row(DetectedImages.RESULT));
            try (ProgressLines lines = ProgressLines.start(done, images.size(), start, PROGRESS_INTERVAL_MILLIS, progress)) {
                results.write().partitionBy("source").parquet(staged.stagedUri(PARQUET));
            }

            // the JSON lines and the counts from the Parquet written, not from a second detection run
            Dataset<Row> written = spark.read().schema(DetectedImages.RESULT).parquet(staged.stagedUri(PARQUET));
            written.map((MapFunction<Row, Row>) SparkDetectRun::jsonLine, Encoders.row(LINES))
                    .write().partitionBy("source").text(staged.stagedUri(JSON_LINES));
            SparkDetectSummary summary = summary(written, model, images.size(), System.nanoTime() - start, output);
            HadoopFiles.write(staged.fileSystem(), staged.staged(MARKER), marker(runId, summary).getBytes(StandardCharsets.UTF_8));
            staged.commit();
            return new SparkDetectSummary(summary.model(), summary.images(), summary.failed(), summary.failures(),
                    summary.detectionsPerClass(), summary.imagesPerSource(), System.nanoTime() - start, output);
        } catch (RuntimeException failure) {
            staged.abort();
            throw failure;
        }
    }

    /** At most {@link #IMAGES_PER_TASK} images a task, and at least as many tasks as the cluster runs at once. */
    static int tasks(int images, int parallelism) {
        int byImages = (images + IMAGES_PER_TASK - 1) / IMAGES_PER_TASK;
        return Math.max(1, Math.min(images, Math.max(parallelism, byImages)));
    }

    /** A {@link DetectedImages#RESULT} row as its JSON line and its source. */
    static Row jsonLine(Row result) {
        String image = result.getString(0);
        String source = result.getString(3);
        if (result.isNullAt(1)) {
            return RowFactory.create(DetectionJsonLine.ofFailure(image, result.isNullAt(2) ? "unknown" : result.getString(2)), source);
        }
        List<String> classNames = new ArrayList<>();
        List<Detection> detections = new ArrayList<>();
        for (Row detection : result.<Row>getList(1)) {
            // DetectionColumn.DETECTION's order: classId, className, score, xmin, ymin, xmax, ymax
            classNames.add(detection.getString(1));
            detections.add(new Detection(detection.getInt(0), detection.getDouble(2), new BoundingBox(detection.getDouble(3),
                    detection.getDouble(4), detection.getDouble(5), detection.getDouble(6))));
        }
        return RowFactory.create(DetectionJsonLine.ofImage(image, classNames, detections), source);
    }

    private static SparkDetectSummary summary(Dataset<Row> written, String model, int listed, long elapsedNanos, String output) {
        Map<String, Long> perSource = new LinkedHashMap<>();
        for (Row row : written.groupBy("source").count().orderBy("source").collectAsList()) {
            perSource.put(row.getString(0), row.getLong(1));
        }
        long total = perSource.values().stream().mapToLong(Long::longValue).sum();
        if (total != listed) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "detect --spark wrote " + total + " image records for " + listed
                    + " images listed");
        }
        Dataset<Row> failedRows = written.filter(col("error").isNotNull());
        long failed = failedRows.count();
        List<String> failures = failedRows.select("image", "error").orderBy("image").limit(SparkDetectSummary.FAILURES_KEPT)
                .collectAsList().stream().map(row -> row.getString(0) + ": " + row.getString(1)).toList();
        Map<String, Long> perClass = new LinkedHashMap<>();
        for (Row row : written.select(explode(col("detections")).as("detection"))
                .groupBy(col("detection.classId"), col("detection.className")).count().orderBy("classId").collectAsList()) {
            perClass.put(row.getString(1), row.getLong(2));
        }
        return new SparkDetectSummary(model, listed, failed, failures, perClass, perSource, elapsedNanos, output);
    }

    private static String marker(String runId, SparkDetectSummary summary) {
        return String.format(Locale.ROOT, "{\"run\":\"%s\",\"images\":%d,\"detections\":%d,\"failed\":%d,\"sources\":%d}%n",
                runId, summary.images(), summary.detections(), summary.failed(), summary.imagesPerSource().size());
    }
}

package org.yolofleet.ml;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.spark.SerializableHadoopConfiguration;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * YOLOv2 detection as a Spark ML {@link Transformer}: a column of images in, a column of detections out
 * ({@link DetectionColumn}: class, score, box in pixels of the original image), exactly what {@code yolofleet detect}
 * reports for the same image file and model. It drops into a user's own {@code Pipeline}, and saves and loads with it
 * ({@code pipelineModel.write().save(uri)}, {@code PipelineModel.load(uri)}); only the params are saved, the model
 * stays at its URI.
 *
 * <p>Input: Spark's image data source ({@code spark.read.format("image")}, column {@code image}) or encoded files
 * ({@code spark.read.format("binaryFile")}, column {@code content}; decoded as {@code detect} decodes, EXIF
 * orientation included) — see {@link ImageInput}. The model: an ONNX export ({@code model.onnx} of the publish stage,
 * or a release directory holding one) or a DL4J checkpoint ({@code *.zip}), on any Hadoop file system
 * ({@code s3a://} included). Each executor JVM loads it once and shares it between its tasks ({@link ExecutorModels});
 * it runs in ONNX Runtime unless {@code runtime} says {@code dl4j}.
 *
 * <p>A signed release (a directory holding {@code manifest.json}, or a file in one) is verified before use, on the
 * driver, as a device verifies it: {@code manifest.sig} against the public key at {@code trustedKeyUri}, then the model
 * artifact's size and SHA-256; the executors load only bytes of that SHA-256. A release without {@code trustedKeyUri}
 * fails ({@link ErrorCode#CONFIG}), one that does not verify fails with {@link ErrorCode#RELEASE_SIGNATURE} or
 * {@link ErrorCode#RELEASE_TAMPERED} ({@link ModelVerification}). An ONNX export or a checkpoint named directly is run
 * <em>unverified</em>: use it for models you built yourself.
 *
 * <pre>{@code
 * YoloDetector detector = new YoloDetector().setModelUri("s3a://models/releases/cells/v3").setTrustedKeyUri("s3a://models/publish.pub")
 *         .setInputCol("content");
 * Dataset<Row> detected = detector.transform(spark.read().format("binaryFile").load("s3a://photos/2026-12-06/"));
 * }</pre>
 */
public final class YoloDetector extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(YoloDetector.class);

    private final String uid;
    private final Param<String> modelUri;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final DoubleParam threshold;
    private final DoubleParam nms;
    private final IntParam batchSize;
    private final Param<String> runtime;
    private final Param<String> trustedKeyUri;

    public YoloDetector() {
        this(Identifiable$.MODULE$.randomUID("yoloDetector"));
    }

    /** The constructor Spark's reader and {@link #copy} use. */
    public YoloDetector(String uid) {
        this.uid = uid;
        this.modelUri = new Param<>(this, "modelUri", "the model: an ONNX export (model.onnx), a release directory holding model.onnx,"
                + " or a DL4J checkpoint (*.zip); a local path or a Hadoop URI (s3a://...)");
        this.inputCol = new Param<>(this, "inputCol", "the image column: Spark's image struct or binary encoded image files");
        this.outputCol = new Param<>(this, "outputCol", "the detections column to add");
        this.threshold = new DoubleParam(this, "threshold", "lowest score reported, objectness x class probability, in [0, 1]",
                ParamValidators.inRange(0, 1));
        this.nms = new DoubleParam(this, "nms", "per-class non-maximum suppression IoU threshold, in [0, 1]", ParamValidators.inRange(0, 1));
        this.batchSize = new IntParam(this, "batchSize", "images a task decodes and runs at a time, at least 1", ParamValidators.gtEq(1));
        this.runtime = new Param<>(this, "runtime", "what runs the network on the executors: onnxruntime (a checkpoint is exported"
                + " to ONNX in memory) or dl4j (checkpoints only)",
                ParamValidators.inArray(Arrays.stream(DetectorRuntime.values()).map(DetectorRuntime::key).toList()));
        this.trustedKeyUri = new Param<>(this, "trustedKeyUri", "the Ed25519 public key (PEM file, a local path or a Hadoop URI) a"
                + " release's manifest.sig must verify with; needed when modelUri is a signed release, unused otherwise");
        setDefault(inputCol, "image");
        setDefault(outputCol, "detections");
        setDefault(threshold, DetectionThresholds.DEFAULTS.score());
        setDefault(nms, DetectionThresholds.DEFAULTS.nonMaxSuppressionIou());
        setDefault(batchSize, 16);
        setDefault(runtime, DetectorRuntime.ONNX_RUNTIME.key());
    }

    /** The reader {@code PipelineModel.load} calls (Spark's {@code MLReadable} convention for Java classes). */
    public static MLReader<YoloDetector> read() {
        return new DefaultParamsReader<>();
    }

    /** A detector saved with {@code write().save(path)}. */
    public static YoloDetector load(String path) {
        return read().load(path);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> modelUri() {
        return modelUri;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public DoubleParam threshold() {
        return threshold;
    }

    public DoubleParam nms() {
        return nms;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public Param<String> runtime() {
        return runtime;
    }

    public Param<String> trustedKeyUri() {
        return trustedKeyUri;
    }

    public String getModelUri() {
        return getOrDefault(modelUri);
    }

    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    public String getOutputCol() {
        return getOrDefault(outputCol);
    }

    public double getThreshold() {
        return (Double) getOrDefault(threshold);
    }

    public double getNms() {
        return (Double) getOrDefault(nms);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public String getRuntime() {
        return getOrDefault(runtime);
    }

    /** The trusted key's URI; empty when none was set. */
    public Optional<String> getTrustedKeyUri() {
        return isDefined(trustedKeyUri) ? Optional.of(getOrDefault(trustedKeyUri)) : Optional.empty();
    }

    public YoloDetector setTrustedKeyUri(String value) {
        return (YoloDetector) set(trustedKeyUri, value);
    }

    public YoloDetector setModelUri(String value) {
        return (YoloDetector) set(modelUri, value);
    }

    public YoloDetector setInputCol(String value) {
        return (YoloDetector) set(inputCol, value);
    }

    public YoloDetector setOutputCol(String value) {
        return (YoloDetector) set(outputCol, value);
    }

    public YoloDetector setThreshold(double value) {
        return (YoloDetector) set(threshold, value);
    }

    public YoloDetector setNms(double value) {
        return (YoloDetector) set(nms, value);
    }

    public YoloDetector setBatchSize(int value) {
        return (YoloDetector) set(batchSize, value);
    }

    public YoloDetector setRuntime(String value) {
        return (YoloDetector) set(runtime, value);
    }

    /**
     * Checks the input column's type ({@link ImageInput#of}) and adds {@link DetectionColumn#TYPE}; fails with
     * {@link ErrorCode#CONFIG} naming the column when it is missing or of another type, when the output column exists
     * already, or when no {@code modelUri} was set.
     */
    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(modelUri)) {
            throw new YoloFleetException(ErrorCode.CONFIG, "YoloDetector " + uid + " has no modelUri: setModelUri(an ONNX export, a"
                    + " release directory or a DL4J checkpoint)");
        }
        ImageInput.of(schema, getInputCol());
        if (List.of(schema.fieldNames()).contains(getOutputCol())) {
            throw new YoloFleetException(ErrorCode.CONFIG, "YoloDetector outputCol '" + getOutputCol() + "' is a column of the input"
                    + " already: setOutputCol(another name)");
        }
        return schema.add(getOutputCol(), DetectionColumn.TYPE, true);
    }

    /**
     * Adds the detections column. A signed release is verified here, on the driver, before any data moves
     * ({@link ModelVerification}).
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType output = transformSchema(dataset.schema(), true);
        StructType schema = dataset.schema();
        Configuration hadoop = dataset.sparkSession().sparkContext().hadoopConfiguration();
        ModelVerification.ResolvedModel model = ModelVerification.resolve(getModelUri(), getTrustedKeyUri(), hadoop);
        LOG.info("YoloDetector {} runs {}", uid, model.describe());
        DetectPartition partition = new DetectPartition(model.modelUri(), model.sha256(), DetectorRuntime.of(getRuntime()),
                ImageInput.of(schema, getInputCol()), schema.fieldIndex(getInputCol()), new DetectionThresholds(getThreshold(), getNms()),
                getBatchSize(), new SerializableHadoopConfiguration(hadoop));
        return dataset.toDF().mapPartitions(partition, Encoders.row(output));
    }

    @Override
    public YoloDetector copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}

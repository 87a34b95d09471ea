package org.yolofleet.ml.eval;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.yolofleet.augment.SampleLabel;
import org.yolofleet.augment.ShardManifest;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.SerializableHadoopConfiguration;
import org.yolofleet.stage.DatasetSchema;
import org.yolofleet.stage.Split;
import org.yolofleet.train.ShardSample;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.struct;

/**
 * The ground-truth DataFrame that {@link DistributedEvaluator} scores against: one row per labelled object, its box in
 * the pixels of its image. Images without objects need no row (detections on them are false positives all the same).
 * Built from a prepared dataset ({@link #fromPreparedDataset}, boxes in the stored image's pixels, image ids the
 * dataset's {@code id}) or from an augment output's val shards ({@link #fromValShards}, boxes in network pixels, image
 * ids the samples' keys, as train's validation and publish's gates score them).
 */
public final class GroundTruthFrame {
    public static final String IMAGE_ID = "imageId";
    public static final String CLASS_ID = "classId";
    public static final String DIFFICULT = "difficult";
    public static final String BOX = "box";
    public static final String XMIN = "xmin";
    public static final String YMIN = "ymin";
    public static final String XMAX = "xmax";
    public static final String YMAX = "ymax";

    /** The box struct: corners, {@code xmin <= xmax}, {@code ymin <= ymax}. */
    public static final StructType BOX_SCHEMA = new StructType(new StructField[] {
            DataTypes.createStructField(XMIN, DataTypes.DoubleType, false),
            DataTypes.createStructField(YMIN, DataTypes.DoubleType, false),
            DataTypes.createStructField(XMAX, DataTypes.DoubleType, false),
            DataTypes.createStructField(YMAX, DataTypes.DoubleType, false)});

    /** The schema: image id, class id, VOC's difficult flag, and the box. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
            DataTypes.createStructField(IMAGE_ID, DataTypes.StringType, false),
            DataTypes.createStructField(CLASS_ID, DataTypes.IntegerType, false),
            DataTypes.createStructField(DIFFICULT, DataTypes.BooleanType, false),
            DataTypes.createStructField(BOX, BOX_SCHEMA, false)});

    private GroundTruthFrame() {
    }

    /** A row of {@link #SCHEMA}. */
    public static Row row(GroundTruth truth) {
        BoundingBox box = truth.box();
        return RowFactory.create(truth.imageId(), truth.classId(), truth.difficult(), RowFactory.create(box.xmin(), box.ymin(), box.xmax(), box.ymax()));
    }

    /** The frame of a list of ground truths (tests, small sets). */
    public static Dataset<Row> of(SparkSession spark, List<GroundTruth> truths) {
        return spark.createDataFrame(truths.stream().map(GroundTruthFrame::row).toList(), SCHEMA);
    }

    /**
     * The objects of one split of a prepared dataset ({@code <dataset>/images/}, Parquet, {@link DatasetSchema#IMAGE}):
     * image id {@code id} ({@code source/image id}), boxes in the pixels of the stored image.
     */
    public static Dataset<Row> fromPreparedDataset(SparkSession spark, String datasetUri, Split split) {
        requireNonNull(datasetUri, "datasetUri");
        requireNonNull(split, "split");
        Dataset<Row> objects = spark.read().parquet(new Path(datasetUri, DatasetSchema.IMAGES_DIRECTORY).toString())
                .where(col("split").equalTo(split.directoryName()))
                .select(col("id").as(IMAGE_ID), explode(col("objects")).as("object"));
        return objects.select(
                col(IMAGE_ID),
                col("object.class_id").cast(DataTypes.IntegerType).as(CLASS_ID),
                col("object.difficult").as(DIFFICULT),
                struct(col("object.xmin").cast(DataTypes.DoubleType).as(XMIN), col("object.ymin").cast(DataTypes.DoubleType).as(YMIN),
                        col("object.xmax").cast(DataTypes.DoubleType).as(XMAX), col("object.ymax").cast(DataTypes.DoubleType).as(YMAX)).as(BOX));
    }

    /**
     * The objects of the val shards of an augment output ({@code shards.json}): image id the sample's key, boxes in
     * network pixels; each executor reads whole shards, one task per shard.
     */
    public static Dataset<Row> fromValShards(SparkSession spark, String augmentOutputUri, Configuration hadoop) {
        requireNonNull(augmentOutputUri, "augmentOutputUri");
        ShardManifest manifest = ShardManifest.read(HadoopFiles.fileSystem(augmentOutputUri, hadoop), augmentOutputUri);
        List<String> shards = manifest.shardUris(augmentOutputUri, Split.VAL.directoryName());
        if (shards.isEmpty()) {
            return spark.createDataFrame(List.of(), SCHEMA);
        }
        SerializableHadoopConfiguration configuration = new SerializableHadoopConfiguration(hadoop);
        Dataset<String> uris = spark.createDataset(shards, Encoders.STRING()).repartition(shards.size());
        return uris.flatMap((FlatMapFunction<String, Row>) shard -> shardRows(shard, configuration.get()).iterator(),
                Encoders.row(SCHEMA));
    }

    private static List<Row> shardRows(String shard, Configuration hadoop) {
        List<Row> rows = new ArrayList<>();
        for (ShardSample sample : ShardSample.readShard(shard, hadoop)) {
            for (SampleLabel.Box box : sample.label().boxes()) {
                rows.add(RowFactory.create(sample.key(), box.classId(), box.difficult(), RowFactory.create(box.xmin(), box.ymin(), box.xmax(), box.ymax())));
            }
        }
        return rows;
    }

    /** The frame flattened to {@code imageId, classId, difficult, xmin, ymin, xmax, ymax}; refuses a frame of another shape. */
    static Dataset<Row> normalise(Dataset<Row> truths) {
        StructType schema = truths.schema();
        FrameColumns.require(schema, IMAGE_ID, DataTypes.StringType);
        FrameColumns.requireNumeric(schema, CLASS_ID);
        FrameColumns.require(schema, DIFFICULT, DataTypes.BooleanType);
        StructType box = FrameColumns.requireStruct(schema, BOX);
        List<Column> columns = new ArrayList<>(List.of(col(IMAGE_ID), col(CLASS_ID).cast(DataTypes.IntegerType).as(CLASS_ID), col(DIFFICULT)));
        for (String corner : new String[] {XMIN, YMIN, XMAX, YMAX}) {
            FrameColumns.requireNumeric(box, corner);
            columns.add(col(BOX + "." + corner).cast(DataTypes.DoubleType).as(corner));
        }
        return truths.select(columns.toArray(Column[]::new));
    }

    /** The ground truth of a row of {@link #normalise}d ground truth. */
    static GroundTruth groundTruth(Row row) {
        BoundingBox box = new BoundingBox(row.getAs(XMIN), row.getAs(YMIN), row.getAs(XMAX), row.getAs(YMAX));
        return new GroundTruth(row.getAs(IMAGE_ID), row.<Integer>getAs(CLASS_ID), box, row.getAs(DIFFICULT));
    }
}

package org.yolofleet.ml.eval;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.eval.Prediction;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * The detections DataFrame that {@link DistributedEvaluator} scores: one row per detection, boxes in the pixels of the
 * ground truth's image. Other columns may be present and are ignored; numeric columns of another numeric type are cast.
 */
public final class DetectionFrame {
    public static final String IMAGE_ID = "imageId";
    public static final String CLASS_ID = "classId";
    public static final String SCORE = "score";
    public static final String XMIN = "xmin";
    public static final String YMIN = "ymin";
    public static final String XMAX = "xmax";
    public static final String YMAX = "ymax";

    /** The schema: image id, class id, score in [0, 1], and the box's corners. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
            DataTypes.createStructField(IMAGE_ID, DataTypes.StringType, false),
            DataTypes.createStructField(CLASS_ID, DataTypes.IntegerType, false),
            DataTypes.createStructField(SCORE, DataTypes.DoubleType, false),
            DataTypes.createStructField(XMIN, DataTypes.DoubleType, false),
            DataTypes.createStructField(YMIN, DataTypes.DoubleType, false),
            DataTypes.createStructField(XMAX, DataTypes.DoubleType, false),
            DataTypes.createStructField(YMAX, DataTypes.DoubleType, false)});

    private DetectionFrame() {
    }

    /** A row of {@link #SCHEMA}, for building a detections DataFrame from a list. */
    public static Row row(Prediction prediction) {
        Detection detection = prediction.detection();
        BoundingBox box = detection.box();
        return RowFactory.create(prediction.imageId(), detection.classId(), detection.score(), box.xmin(), box.ymin(), box.xmax(), box.ymax());
    }

    /** The frame of a list of predictions (tests, small sets). */
    public static Dataset<Row> of(SparkSession spark, List<Prediction> predictions) {
        return spark.createDataFrame(predictions.stream().map(DetectionFrame::row).toList(), SCHEMA);
    }

    /** The frame's columns of {@link #SCHEMA}, in its order and types; refuses a frame that lacks one or has it of another kind. */
    static Dataset<Row> normalise(Dataset<Row> detections) {
        StructType schema = detections.schema();
        FrameColumns.require(schema, IMAGE_ID, DataTypes.StringType);
        Column[] columns = Arrays.stream(SCHEMA.fields())
                .map(field -> {
                    if (!field.name().equals(IMAGE_ID)) {
                        FrameColumns.requireNumeric(schema, field.name());
                    }
                    return col(field.name()).cast(field.dataType()).as(field.name());
                })
                .toArray(Column[]::new);
        return detections.select(columns);
    }

    /** The prediction of a row of {@link #normalise}d detections. */
    static Prediction prediction(Row row) {
        BoundingBox box = new BoundingBox(row.getAs(XMIN), row.getAs(YMIN), row.getAs(XMAX), row.getAs(YMAX));
        return new Prediction(row.getAs(IMAGE_ID), new Detection(row.<Integer>getAs(CLASS_ID), row.getAs(SCORE), box));
    }
}

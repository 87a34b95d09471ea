package org.yolofleet.stage;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.yolofleet.core.quarantine.QuarantineEntry;
import org.yolofleet.dataset.PreparedImage;
import org.yolofleet.dataset.PreparedObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The Parquet shapes of a prepared dataset: {@code images/} (partitioned by split) and {@code quarantine/}.
 * Any Parquet reader can open them; the column names are the contract with the later stages.
 */
public final class DatasetSchema {
    public static final String IMAGES_DIRECTORY = "images";
    public static final String QUARANTINE_DIRECTORY = "quarantine";
    public static final String REPORT_DIRECTORY = "report";
    public static final String MANIFEST = "dataset.json";

    public static final StructType OBJECT = new StructType(new StructField[] {
            DataTypes.createStructField("class_id", DataTypes.IntegerType, false),
            DataTypes.createStructField("class_name", DataTypes.StringType, false),
            DataTypes.createStructField("xmin", DataTypes.DoubleType, false),
            DataTypes.createStructField("ymin", DataTypes.DoubleType, false),
            DataTypes.createStructField("xmax", DataTypes.DoubleType, false),
            DataTypes.createStructField("ymax", DataTypes.DoubleType, false),
            DataTypes.createStructField("difficult", DataTypes.BooleanType, false),
            DataTypes.createStructField("truncated", DataTypes.BooleanType, false)});

    /** One image of the dataset; {@code split} is the partition column; boxes in pixels of the stored image. */
    public static final StructType IMAGE = new StructType(new StructField[] {
            DataTypes.createStructField("id", DataTypes.StringType, false),
            DataTypes.createStructField("source", DataTypes.StringType, false),
            DataTypes.createStructField("source_index", DataTypes.IntegerType, false),
            DataTypes.createStructField("image_id", DataTypes.StringType, false),
            DataTypes.createStructField("annotation_path", DataTypes.StringType, false),
            DataTypes.createStructField("image_path", DataTypes.StringType, false),
            DataTypes.createStructField("content_hash", DataTypes.StringType, false),
            DataTypes.createStructField("width", DataTypes.IntegerType, false),
            DataTypes.createStructField("height", DataTypes.IntegerType, false),
            DataTypes.createStructField("image", DataTypes.BinaryType, false),
            DataTypes.createStructField("objects", DataTypes.createArrayType(OBJECT, false), false),
            DataTypes.createStructField("warnings", DataTypes.createArrayType(DataTypes.StringType, false), false),
            DataTypes.createStructField("split", DataTypes.StringType, false)});

    /** One rejected record (object_index −1: the whole image) or a warning on a kept one. */
    public static final StructType QUARANTINE = new StructType(new StructField[] {
            DataTypes.createStructField("stage", DataTypes.StringType, false),
            DataTypes.createStructField("source", DataTypes.StringType, false),
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("object_index", DataTypes.IntegerType, false),
            DataTypes.createStructField("reason", DataTypes.StringType, false),
            DataTypes.createStructField("severity", DataTypes.StringType, false),
            DataTypes.createStructField("detail", DataTypes.StringType, false)});

    private DatasetSchema() {
    }

    public static String imageId(String source, String imageId) {
        return source + "/" + imageId;
    }

    /** An image row; arrays are Java arrays (Spark's row encoder takes arrays or Scala sequences, not java.util.List). */
    public static Row imageRow(PreparedImage image, int sourceIndex, Split split) {
        List<Row> objects = new ArrayList<>(image.objects().size());
        for (PreparedObject object : image.objects()) {
            objects.add(RowFactory.create(object.classId(), object.className(), object.xmin(), object.ymin(),
                    object.xmax(), object.ymax(), object.difficult(), object.truncated()));
        }
        List<String> warnings = image.warnings().stream().map(warning -> warning.reason().name()).distinct().toList();
        return RowFactory.create(imageId(image.source(), image.imageId()), image.source(), sourceIndex, image.imageId(),
                image.annotationPath(), image.imagePath(), image.contentHash(), image.width(), image.height(),
                image.jpegBytes(), objects.toArray(new Row[0]), warnings.toArray(new String[0]), split.directoryName());
    }

    public static Row quarantineRow(QuarantineEntry entry) {
        return RowFactory.create(entry.columns().values().toArray());
    }
}

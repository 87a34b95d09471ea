package org.yolofleet.ml;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;

import java.util.List;
import java.util.function.IntFunction;

import static java.util.Objects.requireNonNull;

/**
 * The column {@link YoloDetector} adds: one array of detections per image, by descending score, each a struct
 * {@code classId, className, score, xmin, ymin, xmax, ymax} with the box in pixels of the upright original image,
 * clipped to it, as {@code yolofleet detect} reports them. Null for an image that could not be decoded.
 */
public final class DetectionColumn {
    /** One detection. */
    public static final StructType DETECTION = new StructType()
            .add("classId", DataTypes.IntegerType, false)
            .add("className", DataTypes.StringType, false)
            .add("score", DataTypes.DoubleType, false)
            .add("xmin", DataTypes.DoubleType, false)
            .add("ymin", DataTypes.DoubleType, false)
            .add("xmax", DataTypes.DoubleType, false)
            .add("ymax", DataTypes.DoubleType, false);

    /** The column's type: {@code array<}{@link #DETECTION}{@code >}. */
    public static final ArrayType TYPE = DataTypes.createArrayType(DETECTION, false);

    private DetectionColumn() {}

    /** One image's detections as the column's value. */
    public static List<Row> rows(List<Detection> detections, IntFunction<String> classNames) {
        requireNonNull(classNames, "classNames");
        return detections.stream().map(detection -> row(detection, classNames.apply(detection.classId()))).toList();
    }

    /** A value of the column back as a detection (the class name dropped). */
    public static Detection detection(Row row) {
        requireNonNull(row, "row");
        return new Detection(row.getInt(row.fieldIndex("classId")), row.getDouble(row.fieldIndex("score")), new BoundingBox(
                row.getDouble(row.fieldIndex("xmin")), row.getDouble(row.fieldIndex("ymin")),
                row.getDouble(row.fieldIndex("xmax")), row.getDouble(row.fieldIndex("ymax"))));
    }

    private static Row row(Detection detection, String className) {
        BoundingBox box = detection.box();
        return RowFactory.create(detection.classId(), className, detection.score(), box.xmin(), box.ymin(), box.xmax(), box.ymax());
    }
}

package org.yolofleet.ml;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.detect.DetectRequest;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/** The kinds of image column {@link YoloDetector} reads, and how each becomes RGB pixels. */
public enum ImageInput {
    /** Spark's image data source ({@code spark.read.format("image")}): decoded pixels, converted by {@link SparkImages}. */
    SPARK_IMAGE,
    /**
     * Encoded image files ({@code spark.read.format("binaryFile")}'s {@code content}, or any binary column): decoded as
     * {@code yolofleet detect} decodes a file, EXIF orientation applied and ICC profiles ignored.
     */
    BINARY;

    /** The types {@link #of} accepts, for messages. */
    public static final String ACCEPTED = "Spark's image struct (spark.read.format(\"image\"): struct<origin:string, height:int, width:int,"
            + " nChannels:int, mode:int, data:binary>) or binary encoded image files (spark.read.format(\"binaryFile\")'s content)";

    private static final ImageDecoder FILES = new ImageDecoder(DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);

    /**
     * The kind of the column {@code column} of {@code schema}; {@link ErrorCode#CONFIG} naming the column when the schema
     * has no such column or its type is neither kind.
     */
    public static ImageInput of(StructType schema, String column) {
        requireNonNull(schema, "schema");
        requireNonNull(column, "column");
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new YoloFleetException(ErrorCode.CONFIG, "YoloDetector inputCol '" + column + "' is not a column of the input; its columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        DataType type = schema.apply(column).dataType();
        if (type.equals(DataTypes.BinaryType)) {
            return BINARY;
        }
        if (SparkImages.isImageStruct(type)) {
            return SPARK_IMAGE;
        }
        throw new YoloFleetException(ErrorCode.CONFIG, "YoloDetector inputCol '" + column + "' has type " + type.simpleString()
                + "; it takes " + ACCEPTED);
    }

    /**
     * The upright RGB pixels of one non-null value of such a column.
     *
     * @throws org.yolofleet.core.quarantine.RecordRejectedException for an image that cannot be decoded
     */
    public RgbImage pixels(Row row, int column) {
        return switch (this) {
            case SPARK_IMAGE -> SparkImages.toRgb(row.getStruct(column));
            case BINARY -> FILES.decode((byte[]) row.get(column)).image();
        };
    }

    /** Names the image of a row in log lines: the image struct's origin, or the row's {@code path} column when it has one. */
    public String describe(Row row, int column) {
        if (this == SPARK_IMAGE && !row.isNullAt(column)) {
            return SparkImages.origin(row.getStruct(column));
        }
        StructType schema = row.schema();
        if (schema != null && Arrays.asList(schema.fieldNames()).contains("path") && schema.apply("path").dataType().equals(DataTypes.StringType)) {
            return row.getString(schema.fieldIndex("path"));
        }
        return "row " + row;
    }
}

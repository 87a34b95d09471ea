package org.yolofleet.ml;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.quarantine.RecordRejectedException;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Rows of Spark's image data source ({@code spark.read.format("image")}): a struct of {@code origin, height, width,
 * nChannels, mode, data} with {@code data} in OpenCV's order (rows top to bottom, BGR, BGRA or gray bytes per pixel).
 *
 * <p>The bytes are wrapped, not copied, as a {@link BufferedImage} whose colour model says which byte is which channel,
 * and handed to {@link ImageDecoder#rgb(BufferedImage)}: the one shared path that turns in-memory pixels into the 8-bit
 * RGB every stage feeds its network (gray to RGB, transparency composited on white). Spark's source has decoded the
 * file already, without EXIF orientation; read with {@code binaryFile} for {@code detect}'s exact decoding.
 */
public final class SparkImages {
    /** The struct fields the detector reads, with their types; {@code origin} is read when present. */
    public static final Map<String, DataType> REQUIRED_FIELDS = Map.of(
            "height", DataTypes.IntegerType,
            "width", DataTypes.IntegerType,
            "nChannels", DataTypes.IntegerType,
            "mode", DataTypes.IntegerType,
            "data", DataTypes.BinaryType);

    private static final int GRAY = 1;
    private static final int BGR = 3;
    private static final int BGRA = 4;

    private SparkImages() {}

    /** Whether {@code type} is a struct with every {@link #REQUIRED_FIELDS field} of Spark's image schema. */
    public static boolean isImageStruct(DataType type) {
        if (!(type instanceof StructType struct)) {
            return false;
        }
        List<String> names = List.of(struct.fieldNames());
        for (Map.Entry<String, DataType> field : REQUIRED_FIELDS.entrySet()) {
            if (!names.contains(field.getKey()) || !struct.apply(field.getKey()).dataType().equals(field.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The image's origin (its file's URI) where the struct has one, else {@code "?"}; for messages. */
    public static String origin(Row image) {
        requireNonNull(image, "image");
        int index = fieldIndex(image, "origin");
        return index < 0 || image.isNullAt(index) ? "?" : image.getString(index);
    }

    /**
     * The image's pixels as RGB.
     *
     * @throws RecordRejectedException IMAGE_UNDECODABLE for a row Spark could not decode (size -1, no data), a channel
     *                                 count other than 1, 3 or 4, or data of the wrong length
     */
    public static RgbImage toRgb(Row image) {
        requireNonNull(image, "image");
        int height = image.getInt(image.fieldIndex("height"));
        int width = image.getInt(image.fieldIndex("width"));
        int channels = image.getInt(image.fieldIndex("nChannels"));
        byte[] data = image.isNullAt(image.fieldIndex("data")) ? new byte[0] : (byte[]) image.get(image.fieldIndex("data"));
        if (height < 1 || width < 1) {
            throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE,
                    "Spark's image source could not decode it (size " + width + " x " + height + ")");
        }
        return toRgb(width, height, channels, data);
    }

    /**
     * OpenCV-ordered pixels as RGB.
     *
     * @param channels 1 (gray), 3 (BGR) or 4 (BGRA, alpha not premultiplied)
     * @param data     {@code height * width * channels} bytes, rows top to bottom
     */
    public static RgbImage toRgb(int width, int height, int channels, byte[] data) {
        requireNonNull(data, "data");
        int[] bandOffsets = switch (channels) {
            case GRAY -> new int[] {0};
            case BGR -> new int[] {2, 1, 0};
            case BGRA -> new int[] {2, 1, 0, 3};
            default -> throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE,
                    channels + " channels per pixel: Spark's image rows have 1 (gray), 3 (BGR) or 4 (BGRA)");
        };
        if ((long) width * height * channels != data.length) {
            throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE, data.length + " bytes of data for a " + width + " x "
                    + height + " image of " + channels + " channels (" + (long) width * height * channels + " expected)");
        }
        boolean alpha = channels == BGRA;
        ColorSpace space = ColorSpace.getInstance(channels == GRAY ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        ComponentColorModel colorModel = new ComponentColorModel(space, alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(data, data.length), width, height,
                width * channels, channels, bandOffsets, null);
        return ImageDecoder.rgb(new BufferedImage(colorModel, raster, false, null));
    }

    private static int fieldIndex(Row row, String name) {
        StructType schema = row.schema();
        if (schema == null) {
            return -1;
        }
        for (StructField field : schema.fields()) {
            if (field.name().equals(name)) {
                return schema.fieldIndex(name);
            }
        }
        return -1;
    }
}

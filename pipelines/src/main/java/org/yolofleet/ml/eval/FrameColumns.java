package org.yolofleet.ml.eval;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.Arrays;

/** Checks that an input frame has a column of the kind the evaluator reads, before any data moves. */
final class FrameColumns {
    private FrameColumns() {
    }

    /** The column's type, which must be {@code type}. */
    static void require(StructType schema, String name, DataType type) {
        DataType actual = type(schema, name);
        if (!actual.equals(type)) {
            throw new YoloFleetException(ErrorCode.BAD_DATASET, "column '" + name + "' must be " + type.simpleString() + ", got "
                    + actual.simpleString() + " (schema: " + schema.simpleString() + ")");
        }
    }

    /** The column must be of a numeric type (it is cast to the schema's). */
    static void requireNumeric(StructType schema, String name) {
        DataType actual = type(schema, name);
        if (!(actual instanceof NumericType)) {
            throw new YoloFleetException(ErrorCode.BAD_DATASET, "column '" + name + "' must be numeric, got " + actual.simpleString()
                    + " (schema: " + schema.simpleString() + ")");
        }
    }

    /** The column must be a struct; returns its type. */
    static StructType requireStruct(StructType schema, String name) {
        DataType actual = type(schema, name);
        if (!(actual instanceof StructType struct)) {
            throw new YoloFleetException(ErrorCode.BAD_DATASET, "column '" + name + "' must be a struct, got " + actual.simpleString()
                    + " (schema: " + schema.simpleString() + ")");
        }
        return struct;
    }

    private static DataType type(StructType schema, String name) {
        return Arrays.stream(schema.fields())
                .filter(field -> field.name().equals(name))
                .map(StructField::dataType)
                .findFirst()
                .orElseThrow(() -> new YoloFleetException(ErrorCode.BAD_DATASET, "the frame has no column '" + name + "' (schema: "
                        + schema.simpleString() + ")"));
    }
}

package org.yolofleet.testing;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows as Spark hands them to code that reads a {@code Dataset<Row>} (with their schema, arrays as Scala sequences),
 * built without a session, and the same rows with their columns in reverse order: a reader that still reads by
 * position gets the wrong column (or a {@code ClassCastException}) from the reversed row.
 */
public final class SchemaRows {
    private SchemaRows() {
    }

    /** {@code values} (plain {@code RowFactory} rows, arrays as Java lists) with {@code schema}, nested structs included. */
    public static Row withSchema(Row values, StructType schema) {
        Object[] fields = new Object[schema.size()];
        for (int index = 0; index < fields.length; index++) {
            fields[index] = withSchema(values.get(index), schema.fields()[index]);
        }
        return new GenericRowWithSchema(fields, schema);
    }

    /** The row with its columns, and those of nested structs, in reverse order. */
    public static Row reversed(Row row) {
        int size = row.size();
        Object[] values = new Object[size];
        for (int index = 0; index < size; index++) {
            int from = size - 1 - index;
            if (row.schema().fields()[from].dataType() instanceof ArrayType array && array.elementType() instanceof StructType) {
                List<Row> elements = new ArrayList<>();
                for (Row element : row.<Row>getList(from)) {
                    elements.add(reversed(element));
                }
                values[index] = JavaConverters.asScalaBuffer(elements).toList();
            } else {
                values[index] = row.get(from);
            }
        }
        return new GenericRowWithSchema(values, reversed(row.schema()));
    }

    private static StructType reversed(StructType schema) {
        StructField[] fields = schema.fields();
        StructField[] reversed = new StructField[fields.length];
        for (int index = 0; index < fields.length; index++) {
            StructField field = fields[fields.length - 1 - index];
            if (field.dataType() instanceof ArrayType array && array.elementType() instanceof StructType struct) {
                field = new StructField(field.name(), new ArrayType(reversed(struct), array.containsNull()), field.nullable(), field.metadata());
            }
            reversed[index] = field;
        }
        return new StructType(reversed);
    }

    private static Object withSchema(Object value, StructField field) {
        if (field.dataType() instanceof ArrayType array && value instanceof List<?> list) {
            List<Object> elements = new ArrayList<>();
            for (Object element : list) {
                elements.add(array.elementType() instanceof StructType struct ? withSchema((Row) element, struct) : element);
            }
            return JavaConverters.asScalaBuffer(elements).toList();
        }
        return value;
    }
}

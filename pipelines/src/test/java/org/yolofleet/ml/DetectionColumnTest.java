package org.yolofleet.ml;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Detections become rows of the column's struct, fields in its order, and come back unchanged. */
class DetectionColumnTest {
    @Test
    void detectionsBecomeRowsAndBack() {
        List<Detection> detections = List.of(new Detection(2, 0.875, new BoundingBox(1.5, 2.25, 30, 40.125)),
                new Detection(0, 0.5, new BoundingBox(0, 0, 10, 12)));

        List<Row> rows = DetectionColumn.rows(detections, List.of("WBC", "RBC", "Platelets")::get);

        assertThat(rows.get(0).getString(1)).isEqualTo("Platelets");
        assertThat(rows.get(1).getString(1)).isEqualTo("WBC");
        assertThat(rows.get(0).getDouble(5)).as("xmax, sixth as in the struct").isEqualTo(30.0);
        assertThat(rows.stream().map(DetectionColumnTest::withSchema).map(DetectionColumn::detection).toList()).isEqualTo(detections);
        assertThat(DetectionColumn.TYPE.elementType()).isEqualTo(DetectionColumn.DETECTION);
        assertThat(DetectionColumn.DETECTION.fieldNames()).containsExactly("classId", "className", "score", "xmin", "ymin", "xmax", "ymax");
        assertThat(DetectionColumn.DETECTION.apply("score").dataType()).isEqualTo(DataTypes.DoubleType);
    }

    /** The row as a collected Dataset returns it: with the struct's schema, so fields are found by name. */
    private static Row withSchema(Row row) {
        Object[] values = new Object[row.size()];
        for (int index = 0; index < values.length; index++) {
            values[index] = row.get(index);
        }
        return new GenericRowWithSchema(values, DetectionColumn.DETECTION);
    }
}

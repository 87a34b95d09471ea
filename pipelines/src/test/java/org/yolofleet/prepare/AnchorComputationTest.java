package org.yolofleet.prepare;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.yolofleet.config.ModelInput;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.stage.DatasetSchema;
import org.yolofleet.testing.SchemaRows;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AnchorComputationTest {
    private static final StructType SIZED_OBJECTS = new StructType()
            .add("width", DataTypes.IntegerType)
            .add("height", DataTypes.IntegerType)
            .add("objects", DataTypes.createArrayType(DatasetSchema.OBJECT));

    @Test
    void boxesAreReadByColumnNameWhateverTheColumnOrder() {
        // a 320x160 image, resized onto a 416x416 input of 13x13 cells: a 64x32 box is 2.6 x 2.6 cells
        Row values = RowFactory.create(320, 160, List.of(RowFactory.create(0, "car", 10.0, 20.0, 74.0, 52.0, false, false)));
        Row inSchemaOrder = SchemaRows.withSchema(values, SIZED_OBJECTS);
        ModelInput input = new ModelInput(416, 416, ResizeMode.RESIZE);

        for (Row row : List.of(inSchemaOrder, SchemaRows.reversed(inSchemaOrder))) {
            assertThat(AnchorComputation.gridBoxes(row, input)).singleElement()
                    .satisfies(box -> assertThat(box).containsExactly(new double[] {2.6, 2.6}, within(1e-9)));
        }
    }
}

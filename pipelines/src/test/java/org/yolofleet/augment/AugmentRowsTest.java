package org.yolofleet.augment;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.stage.DatasetSchema;
import org.yolofleet.stage.Split;
import org.yolofleet.testing.SchemaRows;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AugmentRowsTest {
    @Test
    void aPreparedRowIsReadByColumnNameWhateverTheColumnOrder() {
        PreparedRecord record = AugmentFixtures.record("site/image_0001", Split.VAL, 160, 120, 3, 1);
        Row inSchemaOrder = SchemaRows.withSchema(AugmentFixtures.row(record), DatasetSchema.IMAGE);
        Row reversed = SchemaRows.reversed(inSchemaOrder);
        assertThat(reversed.schema().fieldNames()[0]).isEqualTo("split");

        for (Row row : List.of(inSchemaOrder, reversed)) {
            PreparedRecord read = AugmentRows.preparedRecord(row);

            assertThat(read.id()).isEqualTo("site/image_0001");
            assertThat(read.split()).isEqualTo(Split.VAL);
            assertThat(read.width()).isEqualTo(160);
            assertThat(read.height()).isEqualTo(120);
            assertThat(read.image()).isEqualTo(record.image());
            assertThat(read.boxes()).hasSize(3).isEqualTo(record.boxes());
        }
    }

    @Test
    void anInvalidBoxBecomesAQuarantinedImageNamedFromTheRow() {
        PreparedRecord record = AugmentFixtures.record("site/image_0002", Split.TRAIN, 160, 120, 1, 2);
        Row inverted = SchemaRows.reversed(SchemaRows.withSchema(withFirstBoxInverted(AugmentFixtures.row(record)), DatasetSchema.IMAGE));

        assertThat(RecordAugmentation.outcome(null, inverted)).singleElement().satisfies(outcome -> {
            assertThat(outcome.getString(AugmentRows.KIND)).isEqualTo(AugmentRows.IMAGE);
            assertThat(outcome.getString(AugmentRows.SPLIT)).isEqualTo("train");
            assertThat(outcome.getString(AugmentRows.ID)).isEqualTo("site/image_0002");
            assertThat(outcome.getString(AugmentRows.REASON)).isEqualTo(QuarantineReason.RECORD_INVALID.name());
        });
    }

    /** A fixture row (objects as a Java list of plain rows) with the first object's xmin and xmax swapped. */
    private static Row withFirstBoxInverted(Row row) {
        Object[] values = values(row);
        int objectsIndex = DatasetSchema.IMAGE.fieldIndex("objects");
        @SuppressWarnings("unchecked")
        List<Row> objects = new ArrayList<>((List<Row>) row.get(objectsIndex));
        Object[] first = values(objects.get(0));
        Object xmin = first[DatasetSchema.OBJECT.fieldIndex("xmin")];
        first[DatasetSchema.OBJECT.fieldIndex("xmin")] = first[DatasetSchema.OBJECT.fieldIndex("xmax")];
        first[DatasetSchema.OBJECT.fieldIndex("xmax")] = xmin;
        objects.set(0, RowFactory.create(first));
        values[objectsIndex] = objects;
        return RowFactory.create(values);
    }

    private static Object[] values(Row row) {
        Object[] values = new Object[row.size()];
        for (int index = 0; index < values.length; index++) {
            values[index] = row.get(index);
        }
        return values;
    }
}

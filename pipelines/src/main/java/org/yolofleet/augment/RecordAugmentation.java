package org.yolofleet.augment;

import org.yolofleet.core.quarantine.QuarantineReason;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

import java.io.Serial;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static java.util.Objects.requireNonNull;

/**
 * The Spark side of {@link RecordAugmenter}: prepared rows in, one image outcome row plus one row per sample out.
 * Lazily, record by record, so a partition never holds more than one image's samples at a time.
 */
final class RecordAugmentation implements FlatMapFunction<Iterator<Row>, Row> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final AugmentRecipe recipe;
    private final LongAccumulator recordsDone;

    RecordAugmentation(AugmentRecipe recipe, LongAccumulator recordsDone) {
        this.recipe = requireNonNull(recipe, "recipe");
        this.recordsDone = requireNonNull(recordsDone, "recordsDone");
    }

    @Override
    public Iterator<Row> call(Iterator<Row> prepared) {
        RecordAugmenter augmenter = new RecordAugmenter(recipe);
        return new Iterator<>() {
            private Iterator<Row> pending = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                while (!pending.hasNext() && prepared.hasNext()) {
                    pending = outcome(augmenter, prepared.next()).iterator();
                    recordsDone.add(1);
                }
                return pending.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pending.next();
            }
        };
    }

    static List<Row> outcome(RecordAugmenter augmenter, Row row) {
        AugmentRows.split(AugmentRows.preparedSplit(row));
        PreparedRecord record;
        try {
            record = AugmentRows.preparedRecord(row);
        } catch (IllegalArgumentException invalid) {
            return List.of(RowFactory.create(AugmentRows.IMAGE, AugmentRows.preparedSplit(row), AugmentRows.preparedId(row), 0,
                    QuarantineReason.RECORD_INVALID.name(), invalid.getMessage()));
        }
        return AugmentRows.rows(augmenter.augment(record));
    }
}

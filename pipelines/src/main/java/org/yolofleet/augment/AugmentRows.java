package org.yolofleet.augment;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.stage.Split;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Converts between Spark rows and the plain records of this package. The rows that travel between the augment
 * stage's Spark steps are schemaless {@link Row}s of strings, numbers and byte arrays (Kryo serialises those without
 * trouble, unlike Java records).
 */
final class AugmentRows {
    /** The columns of the prepared dataset the stage reads; {@link #preparedRecord} reads them by name. */
    static final String[] PREPARED_COLUMNS = {"id", "split", "width", "height", "image", "objects"};

    static final String IMAGE = "image";
    static final String SAMPLE = "sample";

    // image outcome: kind, split, id, source boxes, reason (null when augmented), detail
    static final int KIND = 0;
    static final int SPLIT = 1;
    static final int ID = 2;
    static final int SOURCE_BOXES = 3;
    static final int REASON = 4;
    static final int DETAIL = 5;
    // sample: kind, split, id, copy, boxes kept, boxes dropped, label JSON, JPEG, preview rank
    static final int COPY = 3;
    static final int BOXES_KEPT = 4;
    static final int BOXES_DROPPED = 5;
    static final int LABEL = 6;
    static final int JPEG = 7;
    static final int PREVIEW_RANK = 8;
    // shard written (ShardWriting): split, number, path, samples, bytes, sha256, boxes kept, boxes dropped
    static final int SHARD_SPLIT = 0;
    static final int SHARD_NUMBER = 1;
    static final int SHARD_PATH = 2;
    static final int SHARD_SAMPLES = 3;
    static final int SHARD_BYTES = 4;
    static final int SHARD_SHA256 = 5;
    static final int SHARD_BOXES_KEPT = 6;
    static final int SHARD_BOXES_DROPPED = 7;

    private AugmentRows() {
    }

    /**
     * A row of the prepared dataset (at least {@link #PREPARED_COLUMNS}) as a record, every column and object field read
     * by name so a change of the schema's order cannot shift them. Objects whose box is not a valid box fail with
     * {@link IllegalArgumentException}.
     */
    static PreparedRecord preparedRecord(Row row) {
        List<Row> objects = row.getList(row.fieldIndex("objects"));
        List<LabelledPixelBox> boxes = new ArrayList<>(objects.size());
        for (Row object : objects) {
            BoundingBox box = new BoundingBox(object.getDouble(object.fieldIndex("xmin")), object.getDouble(object.fieldIndex("ymin")),
                    object.getDouble(object.fieldIndex("xmax")), object.getDouble(object.fieldIndex("ymax")));
            boxes.add(new LabelledPixelBox(object.getInt(object.fieldIndex("class_id")), object.getString(object.fieldIndex("class_name")), box,
                    object.getBoolean(object.fieldIndex("difficult")), object.getBoolean(object.fieldIndex("truncated"))));
        }
        return new PreparedRecord(preparedId(row), split(preparedSplit(row)), row.getInt(row.fieldIndex("width")),
                row.getInt(row.fieldIndex("height")), row.getAs("image"), boxes);
    }

    static String preparedId(Row row) {
        return row.getString(row.fieldIndex("id"));
    }

    static String preparedSplit(Row row) {
        return row.getString(row.fieldIndex("split"));
    }

    static Split split(String directoryName) {
        return Split.valueOf(directoryName.toUpperCase(Locale.ROOT));
    }

    static List<Row> rows(RecordOutcome outcome) {
        List<Row> rows = new ArrayList<>();
        if (outcome instanceof RecordOutcome.Augmented augmented) {
            rows.add(RowFactory.create(IMAGE, augmented.split().directoryName(), augmented.id(), augmented.sourceBoxes(), null, null));
            for (AugmentedSample sample : augmented.samples()) {
                rows.add(RowFactory.create(SAMPLE, sample.split().directoryName(), sample.id(), sample.copy(),
                        sample.label().boxes().size(), sample.label().droppedBoxes(), sample.label().toJson(), sample.jpeg(),
                        sample.previewRank()));
            }
        } else if (outcome instanceof RecordOutcome.Quarantined quarantined) {
            rows.add(RowFactory.create(IMAGE, quarantined.split().directoryName(), quarantined.id(), 0,
                    quarantined.reason().name(), quarantined.detail()));
        }
        return rows;
    }

    static boolean isImage(Row row) {
        return IMAGE.equals(row.getString(KIND));
    }

    static boolean isSample(Row row) {
        return SAMPLE.equals(row.getString(KIND));
    }
}

package org.yolofleet.detect.spark;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.quarantine.RecordRejectedException;
import org.yolofleet.ml.DetectionColumn;

import java.io.Serial;
import java.util.Iterator;

import static java.util.Objects.requireNonNull;

/**
 * {@code detect --spark}'s last step on the executors: the detector's rows become {@link #RESULT} rows, the image bytes
 * dropped. An image without detections (null: it could not be read or decoded) keeps the reason: the read's, or the shared
 * decoder's own message, decoded once more (failures are few), so that the summary says why as the one-JVM
 * {@code detect} does. Counts the rows done for the progress lines.
 */
final class DetectedImages implements MapPartitionsFunction<Row, Row> {
    @Serial
    private static final long serialVersionUID = 1L;

    /** One image's outcome, what the Parquet output holds: detections, or null detections and the error. */
    static final StructType RESULT = new StructType()
            .add("image", DataTypes.StringType, false)
            .add("detections", DetectionColumn.TYPE, true)
            .add("error", DataTypes.StringType, true)
            .add("source", DataTypes.StringType, false);

    private final int contentColumn;
    private final int errorColumn;
    private final int detectionsColumn;
    private final long maxImagePixels;
    private final LongAccumulator done;

    /** The columns by index: rows handed over from the detector within a stage carry no schema. */
    DetectedImages(StructType input, String detections, long maxImagePixels, LongAccumulator done) {
        this.contentColumn = input.fieldIndex("content");
        this.errorColumn = input.fieldIndex("error");
        this.detectionsColumn = input.fieldIndex(detections);
        this.maxImagePixels = maxImagePixels;
        this.done = requireNonNull(done, "done");
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row row = rows.next();
                done.add(1);
                String image = row.getString(0);
                String source = row.getString(1);
                if (!row.isNullAt(detectionsColumn)) {
                    return RowFactory.create(image, row.get(detectionsColumn), null, source);
                }
                String error = row.isNullAt(errorColumn) ? whyUndecodable((byte[]) row.get(contentColumn)) : row.getString(errorColumn);
                return RowFactory.create(image, null, error, source);
            }
        };
    }

    private String whyUndecodable(byte[] content) {
        try {
            new ImageDecoder(maxImagePixels).decode(content);
            return "the detector could not decode it";
        } catch (RecordRejectedException rejected) {
            return rejected.getMessage();
        }
    }
}

package org.yolofleet.prepare;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.yolofleet.report.BoxSizeChart;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Counts of a prepared dataset per split and class, a sample of box sizes for the report, and the content
 * fingerprint that makes the dataset version id.
 */
public record DatasetStatistics(Map<String, SplitCounts> splits, List<BoxSizeChart.Box> boxSizeSample /* grid units */, String contentFingerprint) {
    /** Images whose boxes make the box-size sample of the report. */
    public static final int SAMPLE_IMAGES = 5_000;

    /** One split: images, images without objects (negatives), objects, difficult objects, objects per class name. */
    public record SplitCounts(long images, long negatives, long objects, long difficult, Map<String, Long> objectsPerClass) {
        public SplitCounts {
            objectsPerClass = Map.copyOf(objectsPerClass);
        }
    }

    public DatasetStatistics {
        splits = Map.copyOf(splits);
        boxSizeSample = List.copyOf(boxSizeSample);
    }

    public static DatasetStatistics of(Dataset<Row> images, PrepareConfig config) {
        Map<String, SplitCounts> splits = new LinkedHashMap<>();
        for (Split split : Split.values()) {
            Dataset<Row> part = images.filter(col("split").equalTo(split.directoryName()));
            Row totals = part.agg(count("id"), sum(when(size(col("objects")).equalTo(0), 1).otherwise(0)), sum(size(col("objects"))))
                    .first();
            Map<String, Long> perClass = new LinkedHashMap<>();
            config.rules().classes().forEach(name -> perClass.put(name, 0L));
            long difficult = 0;
            for (Row row : part.select(explode(col("objects")).as("object"))
                    .groupBy(col("object.class_name"), col("object.difficult")).count().collectAsList()) {
                perClass.merge(row.getString(0), row.getLong(2), Long::sum);
                if (row.getBoolean(1)) {
                    difficult += row.getLong(2);
                }
            }
            long objects = totals.isNullAt(2) ? 0 : totals.getLong(2);
            splits.put(split.directoryName(), new SplitCounts(totals.getLong(0), totals.isNullAt(1) ? 0 : totals.getLong(1),
                    objects, difficult, perClass));
        }
        List<BoxSizeChart.Box> sample = new ArrayList<>();
        for (Row row : images.select("width", "height", "objects").limit(SAMPLE_IMAGES).collectAsList()) {
            List<Row> objects = row.getList(2);
            List<double[]> sizes = AnchorComputation.gridBoxes(row, config.modelInput());
            for (int index = 0; index < sizes.size(); index++) {
                sample.add(new BoxSizeChart.Box(objects.get(index).getAs("class_name"), sizes.get(index)[0], sizes.get(index)[1]));
            }
        }
        return new DatasetStatistics(splits, sample, fingerprint(images));
    }

    /** sha256 over every (id, content hash, split), in id order: equal datasets have equal fingerprints. */
    private static String fingerprint(Dataset<Row> images) {
        MessageDigest digest = SplitAssigner.newSha256();
        Iterator<Row> rows = images.select("id", "content_hash", "split").orderBy("id").toLocalIterator();
        while (rows.hasNext()) {
            Row row = rows.next();
            digest.update((row.getString(0) + "\t" + row.getString(1) + "\t" + row.getString(2) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public long totalImages() {
        return splits.values().stream().mapToLong(SplitCounts::images).sum();
    }

    public long totalObjects() {
        return splits.values().stream().mapToLong(SplitCounts::objects).sum();
    }

    public long totalNegatives() {
        return splits.values().stream().mapToLong(SplitCounts::negatives).sum();
    }
}

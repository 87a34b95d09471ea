package org.yolofleet.prepare;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.yolofleet.stage.DatasetManifest;
import org.yolofleet.stage.Split;
import org.yolofleet.report.BoxSizeChart;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
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
public record DatasetStatistics(Map<String, DatasetManifest.SplitCounts> splits, List<BoxSizeChart.Box> boxSizeSample /* grid units */, String contentFingerprint) {
    /** Images whose boxes make the box-size sample of the report. */
    public static final int SAMPLE_IMAGES = 5_000;

    /** One split: images, images without objects (negatives), objects, difficult objects, objects per class name. */
    public DatasetStatistics {
        splits = Map.copyOf(splits);
        boxSizeSample = List.copyOf(boxSizeSample);
    }

    public static DatasetStatistics of(Dataset<Row> images, PrepareConfig config) {
        Map<String, DatasetManifest.SplitCounts> splits = new LinkedHashMap<>();
        for (Split split : Split.values()) {
            Dataset<Row> part = images.filter(col("split").equalTo(split.directoryName()));
            Row totals = part.agg(count("id").as("images"), sum(when(size(col("objects")).equalTo(0), 1).otherwise(0)).as("negatives"),
                    sum(size(col("objects"))).as("objects")).first();
            Map<String, Long> perClass = new LinkedHashMap<>();
            config.rules().classes().forEach(name -> perClass.put(name, 0L));
            long difficult = 0;
            for (Row row : part.select(explode(col("objects")).as("object"))
                    .groupBy(col("object.class_name").as("class_name"), col("object.difficult").as("difficult")).count().collectAsList()) {
                long boxes = row.getLong(row.fieldIndex("count"));
                perClass.merge(row.getString(row.fieldIndex("class_name")), boxes, Long::sum);
                if (row.getBoolean(row.fieldIndex("difficult"))) {
                    difficult += boxes;
                }
            }
            long objects = totals.isNullAt(totals.fieldIndex("objects")) ? 0 : totals.getLong(totals.fieldIndex("objects"));
            long negatives = totals.isNullAt(totals.fieldIndex("negatives")) ? 0 : totals.getLong(totals.fieldIndex("negatives"));
            splits.put(split.directoryName(), new DatasetManifest.SplitCounts(totals.getLong(totals.fieldIndex("images")), negatives, objects, difficult, perClass));
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
            digest.update((row.getString(row.fieldIndex("id")) + "\t" + row.getString(row.fieldIndex("content_hash")) + "\t"
                    + row.getString(row.fieldIndex("split")) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public long totalImages() {
        return splits.values().stream().mapToLong(DatasetManifest.SplitCounts::images).sum();
    }

    public long totalObjects() {
        return splits.values().stream().mapToLong(DatasetManifest.SplitCounts::objects).sum();
    }

    public long totalNegatives() {
        return splits.values().stream().mapToLong(DatasetManifest.SplitCounts::negatives).sum();
    }
}

package org.yolofleet.ml.eval;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.augment.SampleLabel;
import org.yolofleet.augment.ShardManifest;
import org.yolofleet.augment.TarShardWriter;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.stage.DatasetSchema;
import org.yolofleet.stage.Split;
import org.yolofleet.testing.LocalSpark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GroundTruthFrameTest {
    private static SparkSession spark;

    @TempDir
    Path directory;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
    }

    @Test
    void readsTheObjectsOfOneSplitOfAPreparedDataset() {
        List<Row> images = List.of(
                image("site/a", "val", object(0, 10, 20, 50, 60, false), object(2, 5.5, 6, 7.5, 9, true)),
                image("site/b", "val"),
                image("site/c", "train", object(1, 0, 0, 30, 30, false)));
        spark.createDataFrame(images, DatasetSchema.IMAGE).write().partitionBy("split")
                .parquet(directory.resolve(DatasetSchema.IMAGES_DIRECTORY).toUri().toString());

        Dataset<Row> frame = GroundTruthFrame.fromPreparedDataset(spark, directory.toUri().toString(), Split.VAL);
        List<GroundTruth> truths = GroundTruthFrame.normalise(frame).collectAsList().stream().map(GroundTruthFrame::groundTruth).toList();

        assertThat(truths).containsExactlyInAnyOrder(
                new GroundTruth("site/a", 0, new BoundingBox(10, 20, 50, 60), false),
                new GroundTruth("site/a", 2, new BoundingBox(5.5, 6, 7.5, 9), true));
    }

    @Test
    void readsTheValShardsOfAnAugmentOutputAndScoresAPerfectModel() throws IOException {
        SampleLabel.Box first = new SampleLabel.Box(1, "square", 10, 10, 40, 40, false, false);
        SampleLabel.Box second = new SampleLabel.Box(0, "circle", 50, 50, 90, 80, true, false);
        SampleLabel.Box third = new SampleLabel.Box(1, "square", 0, 0, 20, 30, false, true);
        Files.createDirectories(directory.resolve("val"));
        writeShard(directory.resolve("val/val-000000.tar"), Map.of("00000000_site_a_c0", List.of(first, second)));
        writeShard(directory.resolve("val/val-000001.tar"), Map.of("00000001_site_b_c0", List.of(third), "00000002_site_c_c0", List.of()));
        ShardManifest manifest = new ShardManifest(ShardManifest.FORMAT, "run", "2026-12-06T00:00:00Z", 1, new ShardManifest.SourceDataset("file:/x", "v"),
                List.of("circle", "square"), new ShardManifest.Input(96, 96, "letterbox"), 1,
                new ShardManifest.Recipe(1, true, 0, 0, 1, 1, 0, 0.3, 2, 90), 100, Map.of(), 3, 0,
                List.of(new ShardManifest.Shard("val", "val/val-000000.tar", 1, 0, "-"), new ShardManifest.Shard("val", "val/val-000001.tar", 2, 0, "-")),
                Map.of(), "", "");
        Files.writeString(directory.resolve(ShardManifest.FILE_NAME), manifest.toJson());
        String output = directory.toUri().toString();

        List<Row> rows = GroundTruthFrame.fromValShards(spark, output, spark.sparkContext().hadoopConfiguration()).collectAsList();

        assertThat(rows).extracting(row -> row.<String>getAs(GroundTruthFrame.IMAGE_ID))
                .containsExactlyInAnyOrder("00000000_site_a_c0", "00000000_site_a_c0", "00000001_site_b_c0");
        List<Prediction> perfect = List.of(
                new Prediction("00000000_site_a_c0", new Detection(1, 0.9, new BoundingBox(10, 10, 40, 40))),
                new Prediction("00000001_site_b_c0", new Detection(1, 0.8, new BoundingBox(0, 0, 20, 30))),
                new Prediction("00000002_site_c_c0", new Detection(0, 0.1, new BoundingBox(0, 0, 5, 5))));
        Evaluation evaluation = new DistributedEvaluator(2).evaluate(DetectionFrame.of(spark, perfect),
                GroundTruthFrame.fromValShards(spark, output, spark.sparkContext().hadoopConfiguration()));
        // class 1 found exactly; class 0 has only a difficult object, so no AP, and its detection on c is a false positive
        assertThat(evaluation.classes().get(1).areaAveragePrecision()).hasValue(1);
        assertThat(evaluation.classes().get(0).hasGroundTruth()).isFalse();
        assertThat(evaluation.classes().get(0).difficult()).isEqualTo(1);
        assertThat(evaluation.classes().get(0).falsePositives()).isEqualTo(1);
    }

    private static void writeShard(Path shard, Map<String, List<SampleLabel.Box>> samples) throws IOException {
        try (OutputStream output = Files.newOutputStream(shard); TarShardWriter writer = new TarShardWriter(output)) {
            for (Map.Entry<String, List<SampleLabel.Box>> sample : samples.entrySet()) {
                SampleLabel label = new SampleLabel("site/" + sample.getKey(), "val", 0, 96, 96, "letterbox", 96, 96, sample.getValue(), 0,
                        new SampleLabel.Augmentation(List.of(0.0, 0.0, 96.0, 96.0), false, 0, 1, 1));
                writer.add(sample.getKey() + ".jpg", "not decoded here".getBytes(StandardCharsets.US_ASCII));
                writer.add(sample.getKey() + ".json", label.toJson());
            }
            writer.finish();
        }
    }

    private static Row object(int classId, double xmin, double ymin, double xmax, double ymax, boolean difficult) {
        return RowFactory.create(classId, "class" + classId, xmin, ymin, xmax, ymax, difficult, false);
    }

    private static Row image(String id, String split, Row... objects) {
        String[] parts = id.split("/", 2);
        return RowFactory.create(id, parts[0], 0, parts[1], "file:/voc/Annotations/" + parts[1] + ".xml", "file:/voc/JPEGImages/" + parts[1] + ".jpg",
                "hash-" + id, 100, 100, new byte[] {1}, objects, new String[0], split);
    }
}

package org.yolofleet.prepare;

import com.typesafe.config.Config;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.ImageSize;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.dataset.SampleDatasetGenerator;
import org.yolofleet.dataset.SampleManifest;
import org.yolofleet.dataset.SampleOptions;
import org.yolofleet.stage.DatasetManifest;
import org.yolofleet.testing.LocalSpark;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The prepare stage end to end on Spark local[2] and the local disk. */
class PrepareStageTest {
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.session();
    }

    @Test
    void goodRecordsArriveAndEveryFaultIsQuarantinedWithItsReason(@TempDir Path directory) throws IOException {
        Path sample = directory.resolve("sample");
        SampleManifest manifest = new SampleDatasetGenerator(SampleOptions.defaults(11, 40).withInjectedFaults(true)).generate(sample);
        String output = directory.resolve("prepared").toUri().toString();

        PrepareSummary summary = prepare(manifest, List.of(sample), output, "prepare.quarantine.max-rejected-fraction=0.9");

        Dataset<Row> images = spark.read().parquet(output + "/images");
        List<String> keptIds = images.select("image_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList().stream().sorted().toList();
        assertThat(keptIds).containsExactlyElementsOf(manifest.keptImageIds());
        long objects = images.selectExpr("size(objects)").as(org.apache.spark.sql.Encoders.INT()).collectAsList().stream()
                .mapToLong(Integer::longValue).sum();
        assertThat(objects).isEqualTo(manifest.keptObjectCount());

        Map<String, Integer> expected = new TreeMap<>();
        manifest.expectedQuarantineCounts().forEach((reason, count) -> expected.put(reason.name(), count));
        assertThat(quarantineCounts(output)).isEqualTo(expected);
        for (SampleManifest.InjectedFault fault : manifest.faults()) {
            List<Row> rows = spark.read().parquet(output + "/quarantine")
                    .filter(org.apache.spark.sql.functions.col("reason").equalTo(fault.reason().name()))
                    .filter(org.apache.spark.sql.functions.col("path").contains(fault.imageId()))
                    .collectAsList();
            assertThat(rows).as("quarantine entry for %s", fault.file()).isNotEmpty();
            assertThat(rows.get(0).getString(rows.get(0).fieldIndex("detail"))).isNotBlank();
        }

        DatasetManifest written = DatasetManifest.fromJson(Files.readAllBytes(Path.of(java.net.URI.create(output + "/dataset.json"))));
        assertThat(written.records().kept()).isEqualTo(manifest.keptImageIds().size());
        assertThat(written.records().rejected()).isEqualTo(manifest.rejectedFaults().size());
        assertThat(written.records().objects()).isEqualTo(manifest.keptObjectCount());
        assertThat(written.records().negatives()).isEqualTo(images.filter("size(objects) = 0").count());
        assertThat(written.splits().values().stream().mapToLong(counts -> counts.objectsPerClass().values().stream().mapToLong(Long::longValue).sum()))
                .as("objects per class, read by column name").containsExactlyElementsOf(
                        written.splits().values().stream().mapToLong(DatasetManifest.SplitCounts::objects).boxed().toList());
        assertThat(written.splits().values().stream().mapToLong(DatasetManifest.SplitCounts::difficult).sum())
                .isEqualTo(images.selectExpr("explode(objects) as object").filter("object.difficult").count());
        assertThat(written.anchors().values()).hasSize(5);
        assertThat(written.anchors().meanIou()).isGreaterThan(written.anchors().vocDefaultMeanIou());
        assertThat(written.classes()).isEqualTo(manifest.classes());
        assertThat(written.version()).matches("\\d{8}T\\d{6}Z-[0-9a-f]{12}");
        assertThat(summary.text()).contains("yolofleet prepare: done").contains("DUPLICATE_IMAGE").contains("anchors");
        Path committed = Path.of(java.net.URI.create(output));
        assertThat(javax.imageio.ImageIO.read(committed.resolve("report/classes.png").toFile())).as("classes.png").isNotNull();
        assertThat(javax.imageio.ImageIO.read(committed.resolve("report/boxes.png").toFile())).as("boxes.png").isNotNull();
        assertThat(committed.resolve("report/summary.txt")).isNotEmptyFile();
        try (Stream<Path> children = Files.list(committed)) {
            assertThat(children.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith("_staging"));
        }
    }

    @Test
    void tooManyRejectedRecordsFailTheJobAndCommitNothing(@TempDir Path directory) {
        Path sample = directory.resolve("sample");
        SampleManifest manifest = new SampleDatasetGenerator(SampleOptions.defaults(12, 30).withInjectedFaults(true)).generate(sample);
        String output = directory.resolve("prepared").toUri().toString();

        assertThatThrownBy(() -> prepare(manifest, List.of(sample), output, "prepare.quarantine.max-rejected-fraction=0.05"))
                .isInstanceOfSatisfying(YoloFleetException.class,
                        failure -> assertThat(failure.code()).isEqualTo(ErrorCode.QUARANTINE_THRESHOLD))
                .hasMessageContaining("max-rejected-fraction")
                .hasMessageContaining("e.g. ")
                .hasMessageContaining("nothing was committed");
        Path committed = Path.of(java.net.URI.create(output));
        assertThat(committed.resolve("dataset.json")).doesNotExist();
        assertThat(committed.resolve("images")).doesNotExist();
    }

    @Test
    void addingImagesNeverMovesAnExistingImageBetweenSplits(@TempDir Path directory) throws IOException {
        Path sample = directory.resolve("sample");
        SampleManifest manifest = new SampleDatasetGenerator(SampleOptions.defaults(21, 100)).generate(sample);
        String output = directory.resolve("prepared").toUri().toString();
        prepare(manifest, List.of(sample), output, "prepare.split.val-fraction=0.3");
        Map<String, String> before = splits(output);
        assertThat(before.values()).contains("train", "val");

        // 10 % more images: another generated set, renamed into the same VOC root
        Path extra = directory.resolve("extra");
        new SampleDatasetGenerator(SampleOptions.defaults(22, 10)).generate(extra);
        copyRenamed(extra, sample, "new_");
        prepare(manifest, List.of(sample), output, "prepare.split.val-fraction=0.3", "prepare.overwrite=true");
        Map<String, String> after = splits(output);

        assertThat(after).hasSize(before.size() + 10);
        before.forEach((id, split) -> assertThat(after.get(id)).as("split of %s", id).isEqualTo(split));
    }

    @Test
    void anchorsComeOutNearTheKnownBoxSizes(@TempDir Path directory) {
        Path sample = directory.resolve("sample");
        List<ImageSize> boxes = List.of(new ImageSize(32, 32), new ImageSize(96, 64), new ImageSize(192, 160));
        SampleManifest manifest = new SampleDatasetGenerator(SampleOptions.defaults(5, 60)
                .withSizes(List.of(new ImageSize(416, 416))).withFixedBoxSizes(boxes)).generate(sample);
        String output = directory.resolve("prepared").toUri().toString();

        PrepareSummary summary = prepare(manifest, List.of(sample), output, "prepare.anchors.count=3", "prepare.split.val-fraction=0.0");

        List<double[]> anchors = summary.manifest().anchors().values();
        assertThat(anchors).hasSize(3);
        for (int index = 0; index < boxes.size(); index++) {
            double expectedWidth = boxes.get(index).width() / 32.0;
            double expectedHeight = boxes.get(index).height() / 32.0;
            assertThat(AnchorClusterer.iou(anchors.get(index)[0], anchors.get(index)[1], expectedWidth, expectedHeight))
                    .as("anchor %d = %s", index, summary.manifest().anchors().text())
                    .isGreaterThan(0.85);
        }
        assertThat(summary.manifest().anchors().meanIou()).isCloseTo(1.0, within(0.15));
    }

    @Test
    void anchorsDoNotDependOnThePartitioning(@TempDir Path directory) {
        Path sample = directory.resolve("sample");
        SampleManifest manifest = new SampleDatasetGenerator(SampleOptions.defaults(6, 80)).generate(sample);

        PrepareSummary one = prepare(manifest, List.of(sample), directory.resolve("one").toUri().toString(), "prepare.partitions=1");
        PrepareSummary five = prepare(manifest, List.of(sample), directory.resolve("five").toUri().toString(), "prepare.partitions=5");

        assertThat(five.manifest().anchors().text()).isEqualTo(one.manifest().anchors().text());
        assertThat(five.manifest().anchors().meanIou()).isCloseTo(one.manifest().anchors().meanIou(), within(1e-9));
        assertThat(five.manifest().contentFingerprint()).isEqualTo(one.manifest().contentFingerprint());
    }

    @Test
    void duplicateIdsAcrossSourcesAreBothKeptUnderTheirSourceNames(@TempDir Path directory) {
        Path first = directory.resolve("site-a");
        Path second = directory.resolve("site-b");
        SampleManifest manifest = new SampleDatasetGenerator(SampleOptions.defaults(31, 12)).generate(first);
        new SampleDatasetGenerator(SampleOptions.defaults(32, 12)).generate(second); // same ids, other pictures
        String output = directory.resolve("prepared").toUri().toString();

        prepare(manifest, List.of(first, second), output);

        Map<String, String> splits = splits(output);
        assertThat(splits).hasSize(24);
        assertThat(splits.keySet()).contains("site-a/" + manifest.goodImageIds().get(0), "site-b/" + manifest.goodImageIds().get(0));
        assertThat(quarantineCounts(output)).containsEntry(QuarantineReason.DUPLICATE_ID.name(), 12);
    }

    @Test
    void aSecondAnnotationOfAnImageIsDroppedByNameAndConflictingBoxesAndAnEmptyValSplitAreReported(@TempDir Path directory)
            throws IOException {
        Path sample = directory.resolve("sample");
        SampleManifest manifest = new SampleDatasetGenerator(SampleOptions.defaults(51, 6)).generate(sample);
        String original = manifest.goodImageIds().stream().filter(id -> manifest.goodObjectCounts().get(id) > 0).findFirst().orElseThrow();
        String className = manifest.classes().get(0);
        // a second annotator's file for the same image, with another box; its name sorts after the original's
        Files.writeString(sample.resolve("Annotations/" + original + "_relabelled.xml"), annotation(original + ".jpg", className, 1, 1, 20, 20));
        // an image whose only object has an unknown class: kept as a negative, as the configuration asks, with a warning
        BufferedImage picture = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        picture.setRGB(5, 5, 0xff0000);
        ImageIO.write(picture, "jpg", sample.resolve("JPEGImages/unknown_only.jpg").toFile());
        Files.writeString(sample.resolve("Annotations/unknown_only.xml"), annotation("unknown_only.jpg", "hexagon", 2, 2, 30, 30));
        String output = directory.resolve("prepared").toUri().toString();

        PrepareSummary summary = prepare(manifest, List.of(sample), output, "prepare.split.val-fraction=0.0",
                "prepare.all-objects-rejected=keep-as-negative", "prepare.quarantine.max-rejected-fraction=0.5");

        Map<String, String> splits = splits(output);
        assertThat(splits).containsKeys("sample/" + original, "sample/unknown_only").doesNotContainKey("sample/" + original + "_relabelled")
                .hasSize(manifest.goodImageIds().size() + 1);
        List<Row> quarantine = LocalSpark.session().read().parquet(output + "/quarantine").orderBy("reason").collectAsList();
        String relabelled = "Annotations/" + original + "_relabelled.xml";
        assertThat(quarantine).filteredOn(row -> row.getAs("reason").equals(QuarantineReason.DUPLICATE_IMAGE.name())).singleElement()
                .satisfies(row -> {
                    assertThat(row.<String>getAs("path")).endsWith(relabelled);
                    assertThat(row.<String>getAs("detail")).contains("Annotations/" + original + ".xml, which was kept");
                });
        assertThat(quarantine).filteredOn(row -> row.getAs("reason").equals(QuarantineReason.DUPLICATE_CONFLICT.name())).singleElement()
                .satisfies(row -> {
                    assertThat(row.<String>getAs("path")).endsWith(relabelled);
                    assertThat(row.<String>getAs("severity")).isEqualTo("WARNING");
                    assertThat(row.<String>getAs("detail")).contains("only in the dropped one " + className + " (1.0, 1.0)-(20.0, 20.0)");
                });
        assertThat(quarantine).filteredOn(row -> row.getAs("reason").equals(QuarantineReason.ALL_OBJECTS_REJECTED_KEPT.name()))
                .singleElement().satisfies(row -> assertThat(row.<String>getAs("path")).endsWith("Annotations/unknown_only.xml"));

        assertThat(summary.manifest().splits().get("val").images()).isZero();
        assertThat(summary.manifest().notices()).singleElement().asString().startsWith("the val split is empty")
                .contains("yolofleet.prepare.split.val-fraction");
        assertThat(summary.text()).contains("  WARNING     the val split is empty");
        DatasetManifest written = DatasetManifest.fromJson(Files.readAllBytes(Path.of(java.net.URI.create(output + "/dataset.json"))));
        assertThat(written.notices()).isEqualTo(summary.manifest().notices());
    }

    private static String annotation(String fileName, String className, int xmin, int ymin, int xmax, int ymax) {
        return "<annotation>\n  <filename>" + fileName + "</filename>\n  <object>\n    <name>" + className + "</name>\n"
                + "    <bndbox><xmin>" + xmin + "</xmin><ymin>" + ymin + "</ymin><xmax>" + xmax + "</xmax><ymax>" + ymax + "</ymax></bndbox>\n"
                + "  </object>\n</annotation>\n";
    }

    @Test
    void anExistingDatasetIsNotOverwrittenUnlessAsked(@TempDir Path directory) {
        Path sample = directory.resolve("sample");
        SampleManifest manifest = new SampleDatasetGenerator(SampleOptions.defaults(41, 8)).generate(sample);
        String output = directory.resolve("prepared").toUri().toString();
        prepare(manifest, List.of(sample), output);

        assertThatThrownBy(() -> prepare(manifest, List.of(sample), output))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.OUTPUT_EXISTS));
        assertThat(prepare(manifest, List.of(sample), output, "prepare.overwrite=true").manifest().records().kept()).isEqualTo(8);
    }

    static PrepareSummary prepare(SampleManifest manifest, List<Path> inputs, String output, String... overrides) {
        List<String> all = new ArrayList<>();
        all.add("classes=" + com.typesafe.config.ConfigValueFactory.fromIterable(manifest.classes()).render());
        manifest.aliases().forEach((alias, name) -> all.add("aliases." + alias + "=" + name));
        if (!inputs.isEmpty()) {
            all.add("prepare.inputs=" + com.typesafe.config.ConfigValueFactory.fromIterable(
                    inputs.stream().map(path -> path.toUri().toString()).toList()).render());
        }
        all.add("prepare.output=\"" + output + "\"");
        all.addAll(List.of(overrides));
        Config config = ConfigLoader.load(Optional.empty(), all);
        return new PrepareStage(LocalSpark.session(), PrepareConfig.from(config), Clock.systemUTC()).run();
    }

    static Map<String, Integer> quarantineCounts(String output) {
        Map<String, Integer> counts = new TreeMap<>();
        LocalSpark.session().read().parquet(output + "/quarantine").groupBy("reason").count().collectAsList()
                .forEach(row -> counts.put(row.getString(0), (int) row.getLong(1)));
        return counts;
    }

    static Map<String, String> splits(String output) {
        Map<String, String> splits = new HashMap<>();
        LocalSpark.session().read().parquet(output + "/images").select("id", "split").collectAsList()
                .forEach(row -> splits.put(row.getString(0), row.getString(1)));
        return splits;
    }

    private static void copyRenamed(Path from, Path to, String prefix) throws IOException {
        try (Stream<Path> annotations = Files.list(from.resolve("Annotations"))) {
            for (Path annotation : annotations.toList()) {
                String xml = Files.readString(annotation, StandardCharsets.ISO_8859_1); // byte-preserving: some are not UTF-8
                String stem = annotation.getFileName().toString().replace(".xml", "");
                Files.writeString(to.resolve("Annotations").resolve(prefix + stem + ".xml"),
                        xml.replace("<filename>" + stem, "<filename>" + prefix + stem), StandardCharsets.ISO_8859_1);
            }
        }
        try (Stream<Path> images = Files.list(from.resolve("JPEGImages"))) {
            for (Path image : images.toList()) {
                Files.copy(image, to.resolve("JPEGImages").resolve(prefix + image.getFileName()));
            }
        }
    }

}

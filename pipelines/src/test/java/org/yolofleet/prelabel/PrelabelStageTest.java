package org.yolofleet.prelabel;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.image.ImageInspector;
import org.yolofleet.core.image.ImageSize;
import org.yolofleet.core.quarantine.QuarantineEntry;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.dataset.DirectoryImageStore;
import org.yolofleet.dataset.PrepareOutcome;
import org.yolofleet.dataset.PreparedImage;
import org.yolofleet.dataset.RecordRules;
import org.yolofleet.dataset.VocRecordProcessor;
import org.yolofleet.detect.DetectFixtures;
import org.yolofleet.detect.DetectRequest;
import org.yolofleet.ml.MlFixtures;
import org.yolofleet.ml.YoloDetector;
import org.yolofleet.testing.LocalSpark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code prelabel} on local[2] over generated images with a small random ONNX model: every written annotation is read
 * by prepare's own record processor (parser, image lookup, box rules) without a rejection, holding exactly
 * YoloDetector's detections in VOC's 1-based integer pixels; a person's annotation is kept; a cut image is reported.
 */
class PrelabelStageTest {
    private static final String HUMAN = "<annotation><filename>b.png</filename><size><width>100</width><height>140</height>"
            + "<depth>3</depth></size><object><name>WBC</name><bndbox><xmin>5</xmin><ymin>5</ymin><xmax>40</xmax><ymax>50</ymax>"
            + "</bndbox></object></annotation>\n";

    @TempDir
    static Path directory;

    private static SparkSession spark;
    private static Path model;
    private static Path images;
    private static Path annotations;
    private static PrelabelSummary summary;
    private static Map<String, List<VocAnnotationWriter.Box>> expected;

    @BeforeAll
    static void prelabel() throws IOException {
        spark = LocalSpark.session();
        model = MlFixtures.onnxModel(directory);
        images = directory.resolve("site/JPEGImages");
        MlFixtures.plainImages(images);
        MlFixtures.truncatedJpeg(images);
        annotations = Files.createDirectories(directory.resolve("site/Annotations"));
        Files.writeString(annotations.resolve("b.xml"), HUMAN);
        expected = detectorBoxes();

        summary = new PrelabelStage(spark, config(false), Clock.systemUTC()).run();
    }

    private static PrelabelConfig config(boolean overwrite) {
        return PrelabelConfig.of(images.toUri().toString(), model.toString(), Optional.empty(), MlFixtures.THRESHOLDS.score(),
                MlFixtures.THRESHOLDS.nonMaxSuppressionIou(), overwrite);
    }

    /** YoloDetector's detections on every decodable image, as VOC boxes (the writer's rounding), by file name. */
    private static Map<String, List<VocAnnotationWriter.Box>> detectorBoxes() {
        YoloDetector detector = new YoloDetector().setModelUri(model.toString()).setInputCol("content")
                .setThreshold(MlFixtures.THRESHOLDS.score()).setNms(MlFixtures.THRESHOLDS.nonMaxSuppressionIou());
        ImageInspector inspector = new ImageInspector(DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        Map<String, List<VocAnnotationWriter.Box>> boxes = new TreeMap<>();
        for (Row row : detector.transform(spark.read().format("binaryFile").load(images.toString())).collectAsList()) {
            if (row.isNullAt(row.fieldIndex("detections"))) {
                continue;
            }
            ImageSize size = inspector.inspect(row.getAs("content")).uprightSize();
            String file = row.getString(0).substring(row.getString(0).lastIndexOf('/') + 1);
            boxes.put(file, row.<Row>getList(row.fieldIndex("detections")).stream().map(detection -> VocAnnotationWriter.Box.of(
                    detection.getAs("className"), detection.getAs("score"), detection.getAs("xmin"), detection.getAs("ymin"),
                    detection.getAs("xmax"), detection.getAs("ymax"), size)).filter(box -> box.atLeast(PrelabelStage.MIN_BOX_PIXELS)).toList());
        }
        return boxes;
    }

    @Test
    void summaryCountsWhatWasWrittenKeptAndSkipped() throws IOException {
        assertThat(summary.images()).isEqualTo(6);
        assertThat(summary.written()).isEqualTo(4);
        assertThat(summary.keptExisting()).containsExactly("b.png");
        assertThat(summary.skipped()).containsOnlyKeys("g-cut.jpg");
        assertThat(summary.skipped().get("g-cut.jpg")).isNotBlank();
        Map<String, Integer> perClass = new TreeMap<>();
        expected.entrySet().stream().filter(entry -> !entry.getKey().equals("b.png"))
                .flatMap(entry -> entry.getValue().stream()).forEach(box -> perClass.merge(box.name(), 1, Integer::sum));
        assertThat(summary.boxesPerClass()).isEqualTo(perClass);
        assertThat(summary.boxes()).as("the random model finds something").isPositive();
        assertThat(summary.text()).contains("g-cut.jpg").contains("kept existing annotations");
        assertThat(annotations.resolve(PrelabelStage.MARKER)).exists();
        assertThat(annotations.resolve("g-cut.xml")).doesNotExist();
        try (Stream<Path> left = Files.list(annotations)) {
            assertThat(left.map(path -> path.getFileName().toString())).as("the staging folder is gone")
                    .noneMatch(name -> name.startsWith("_staging"));
        }
    }

    @Test
    void prepareReadsEveryAnnotationWithoutRejectionAndGetsTheDetectorsBoxes() throws IOException {
        RecordRules rules = RecordRules.withDefaults(DetectFixtures.BCCD_CLASSES, Map.of());
        assertThat(rules.minBoxSizePixels()).as("prelabel's minimum is prepare's").isEqualTo(PrelabelStage.MIN_BOX_PIXELS);
        VocRecordProcessor prepare = new VocRecordProcessor(rules);
        DirectoryImageStore store = new DirectoryImageStore(images);
        Map<String, List<VocAnnotationWriter.Box>> read = new TreeMap<>();
        List<QuarantineEntry> entries = new ArrayList<>();
        for (String file : List.of("a.jpg", "c.jpg", "d-gray.png", "e-alpha.png")) {
            Path xml = annotations.resolve(PrelabelStage.annotationName(file));
            PrepareOutcome outcome = prepare.process("site", xml.toString(), Files.readAllBytes(xml), store);
            assertThat(outcome.rejections()).as(file).isEmpty();
            entries.addAll(outcome.quarantineEntries());
            PreparedImage image = outcome.image().orElseThrow();
            assertThat(image.imagePath()).endsWith(file);
            read.put(file, image.objects().stream().map(object -> new VocAnnotationWriter.Box(object.className(), 0,
                    (int) object.xmin(), (int) object.ymin(), (int) object.xmax(), (int) object.ymax())).toList());
        }
        assertThat(entries.stream().filter(entry -> entry.path().endsWith(".xml")))
                .as("nothing about the annotations but a negative image's note").allMatch(entry -> entry.reason() == QuarantineReason.NO_OBJECTS);
        assertThat(summary.droppedBoxes()).as("thin boxes of the random model, not written").isPositive();
        Map<String, List<VocAnnotationWriter.Box>> written = new TreeMap<>();
        expected.forEach((file, boxes) -> {
            if (!file.equals("b.png")) {
                written.put(file, boxes.stream().map(box -> new VocAnnotationWriter.Box(box.name(), 0, box.xmin(), box.ymin(),
                        box.xmax(), box.ymax())).toList());
            }
        });
        assertThat(read).isEqualTo(written);
    }

    @Test
    void aPersonsAnnotationIsKeptUnlessOverwriteIsAsked() throws IOException {
        assertThat(Files.readString(annotations.resolve("b.xml"))).isEqualTo(HUMAN);

        Path copy = directory.resolve("again/JPEGImages");
        Files.createDirectories(copy);
        Files.copy(images.resolve("b.png"), copy.resolve("b.png"));
        Path again = Files.createDirectories(directory.resolve("again/Annotations"));
        Files.writeString(again.resolve("b.xml"), HUMAN);
        PrelabelSummary replaced = new PrelabelStage(spark, PrelabelConfig.of(copy.toString(), model.toString(), Optional.empty(),
                MlFixtures.THRESHOLDS.score(), MlFixtures.THRESHOLDS.nonMaxSuppressionIou(), true), Clock.systemUTC()).run();

        assertThat(replaced.written()).isEqualTo(1);
        assertThat(replaced.keptExisting()).isEmpty();
        assertThat(Files.readString(again.resolve("b.xml"), StandardCharsets.UTF_8)).contains("<verified>no</verified>")
                .doesNotContain("<xmin>5</xmin><ymin>5</ymin>");
    }
}

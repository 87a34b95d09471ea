package org.yolofleet.detect.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.detect.DetectRequest;
import org.yolofleet.detect.DetectRun;
import org.yolofleet.detect.DetectSummary;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.ModelLoader;
import org.yolofleet.detect.ModelSource;
import org.yolofleet.ml.DetectionColumn;
import org.yolofleet.ml.MlFixtures;
import org.yolofleet.testing.LocalSpark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code detect --spark} on local[2] against the one-JVM {@code detect} ({@link DetectRun}) on the same images in two
 * folders, one holding a cut JPEG and a file that is no image: the same JSON detections image by image, the same boxes
 * and scores in the Parquet to 1e-5, the bad image counted with its reason while every good one has its record, the
 * output partitioned by source and committed.
 */
class SparkDetectRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    private static SparkSession spark;
    private static Path model;
    private static Path siteA;
    private static Path siteB;
    private static Path output;
    private static DetectSummary oneJvm;
    private static Map<String, List<JsonNode>> oneJvmLines;
    private static SparkDetectSummary summary;
    private static String progress;

    @BeforeAll
    static void detectBothWays() throws IOException {
        spark = LocalSpark.session();
        model = MlFixtures.onnxModel(directory);
        siteA = directory.resolve("photos/site-a");
        siteB = directory.resolve("photos/site-b");
        MlFixtures.plainImages(siteA);
        MlFixtures.plainImages(siteB);
        MlFixtures.truncatedJpeg(siteB);
        Files.writeString(siteB.resolve("notes.txt"), "not an image");
        output = directory.resolve("detections");
        DetectRequest request = new DetectRequest(List.of(siteA.toString(), siteB + "/"), MlFixtures.THRESHOLDS,
                Optional.of(output.toString()), DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);

        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        try (Detector detector = ModelLoader.load(ModelSource.of(model))) {
            oneJvm = new DetectRun(detector, new DetectRequest(request.inputs(), request.thresholds(), Optional.empty(),
                    request.maxImagePixels()), new Configuration()).run(new PrintStream(lines, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        }
        oneJvmLines = new TreeMap<>();
        for (String line : lines.toString(StandardCharsets.UTF_8).lines().toList()) {
            ObjectNode detection = (ObjectNode) JSON.readTree(line);
            String image = detection.remove("image").asText();
            oneJvmLines.computeIfAbsent(image, name -> new ArrayList<>()).add(detection);
        }

        ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
        summary = new SparkDetectRun(spark, model.toString(), request, Clock.systemUTC())
                .run(new PrintStream(progressBytes, true, StandardCharsets.UTF_8));
        progress = progressBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesHoldTheOneJvmDetectionsImageByImage() throws IOException {
        Map<String, JsonNode> byImage = new TreeMap<>();
        try (Stream<Path> files = Files.walk(output.resolve(SparkDetectRun.JSON_LINES))) {
            for (Path file : files.filter(path -> path.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    JsonNode json = JSON.readTree(line);
                    assertThat(byImage.put(json.get("image").asText(), json)).as("one line per image").isNull();
                }
            }
        }
        assertThat(byImage).hasSize(11);
        String cut = siteB.resolve("g-cut.jpg").toString();
        assertThat(byImage.get(cut).get("error").asText()).isNotBlank();
        Map<String, List<JsonNode>> found = new TreeMap<>();
        byImage.forEach((image, json) -> {
            if (!image.equals(cut)) {
                List<JsonNode> detections = new ArrayList<>();
                json.get("detections").forEach(detections::add);
                if (!detections.isEmpty()) {
                    found.put(image, detections);
                }
            }
        });
        assertThat(oneJvmLines).as("the random model finds something").isNotEmpty();
        assertThat(found).isEqualTo(oneJvmLines);
    }

    @Test
    void parquetHoldsTheOneJvmBoxesAndScoresTo1e5() throws IOException {
        Map<String, List<Detection>> expected = new TreeMap<>();
        ImageDecoder decoder = new ImageDecoder(DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        try (Detector detector = ModelLoader.load(ModelSource.of(model))) {
            for (Path folder : List.of(siteA, siteB)) {
                for (String name : List.of("a.jpg", "b.png", "c.jpg", "d-gray.png", "e-alpha.png")) {
                    RgbImage pixels = decoder.decode(Files.readAllBytes(folder.resolve(name))).image();
                    expected.put(folder.resolve(name).toString(), Detection.clipAll(detector.detect(pixels, MlFixtures.THRESHOLDS),
                            pixels.width(), pixels.height()));
                }
            }
        }
        Map<String, List<Detection>> found = new TreeMap<>();
        for (Row row : spark.read().parquet(output.resolve(SparkDetectRun.PARQUET).toString()).filter("error is null").collectAsList()) {
            found.put(row.getAs("image"), row.<Row>getList(row.fieldIndex("detections")).stream().map(DetectionColumn::detection).toList());
        }
        assertThat(found.keySet()).isEqualTo(expected.keySet());
        expected.forEach((image, detections) -> {
            List<Detection> spark = found.get(image);
            assertThat(spark).as(image).hasSameSizeAs(detections);
            for (int index = 0; index < detections.size(); index++) {
                Detection want = detections.get(index);
                Detection got = spark.get(index);
                assertThat(got.classId()).as(image).isEqualTo(want.classId());
                assertThat(got.score()).as(image).isCloseTo(want.score(), within(1e-5));
                assertThat(new double[] {got.box().xmin(), got.box().ymin(), got.box().xmax(), got.box().ymax()}).as(image)
                        .containsExactly(new double[] {want.box().xmin(), want.box().ymin(), want.box().xmax(), want.box().ymax()}, within(1e-5));
            }
        });
    }

    @Test
    void summaryCountsAsTheOneJvmRunAndNamesTheBadImageWithItsReason() {
        assertThat(summary.images()).isEqualTo(oneJvm.images()).isEqualTo(11);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(oneJvm.failures()).hasSize(1);
        assertThat(summary.failures()).containsExactly(oneJvm.failures().get(0));
        Map<String, Long> oneJvmClasses = new LinkedHashMap<>();
        oneJvm.detectionsPerClass().forEach((name, count) -> {
            if (count > 0) {
                oneJvmClasses.put(name, count);
            }
        });
        assertThat(summary.detectionsPerClass()).isEqualTo(oneJvmClasses);
        assertThat(summary.imagesPerSource()).containsExactly(Map.entry(siteA.toString(), 5L), Map.entry(siteB.toString(), 6L));
        assertThat(summary.text()).contains("detect: 11 images in").contains("images/s").contains("failed: 1 images")
                .contains("g-cut.jpg: ").contains("detections: " + oneJvm.detections());
        assertThat(progress).startsWith("detect: 11 images, 2 sources, ");
    }

    @Test
    void outputIsPartitionedBySourceAndCommittedWithItsMarker() throws IOException {
        assertThat(output.resolve(SparkDetectRun.MARKER)).exists();
        assertThat(Files.readString(output.resolve(SparkDetectRun.MARKER))).contains("\"images\":11").contains("\"failed\":1");
        for (String folder : List.of(SparkDetectRun.PARQUET, SparkDetectRun.JSON_LINES)) {
            try (Stream<Path> partitions = Files.list(output.resolve(folder))) {
                assertThat(partitions.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("source=")))
                        .as(folder).hasSize(2).allMatch(name -> name.endsWith("site-a") || name.endsWith("site-b"));
            }
        }
        try (Stream<Path> children = Files.list(output)) {
            assertThat(children.map(path -> path.getFileName().toString())).as("the staging folder is gone")
                    .noneMatch(name -> name.startsWith("_staging"));
        }
        List<Row> bySource = spark.read().parquet(output.resolve(SparkDetectRun.PARQUET).toString())
                .groupBy("source").count().orderBy("source").collectAsList();
        assertThat(bySource).extracting(row -> row.getString(0)).containsExactly(siteA.toString(), siteB.toString());
    }

    @Test
    void aMissingInputOrOutputFailsBeforeAnyWork() {
        DetectRequest missing = new DetectRequest(List.of(directory.resolve("nowhere").toString()), MlFixtures.THRESHOLDS,
                Optional.of(directory.resolve("never").toString()), DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        assertThatThrownBy(() -> new SparkDetectRun(spark, model.toString(), missing, Clock.systemUTC()).run(System.err))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("nowhere");
        assertThat(directory.resolve("never")).doesNotExist();

        DetectRequest noOutput = new DetectRequest(List.of(siteA.toString()), MlFixtures.THRESHOLDS, Optional.empty(),
                DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        assertThatThrownBy(() -> new SparkDetectRun(spark, model.toString(), noOutput, Clock.systemUTC()))
                .isInstanceOf(YoloFleetException.class).hasMessageContaining("--output");
    }
}

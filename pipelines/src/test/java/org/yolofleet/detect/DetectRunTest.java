package org.yolofleet.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.model.DarknetWeightsImporter;
import org.yolofleet.model.TinyYoloGraphBuilder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code detect} end to end on an ONNX export: JSON lines, annotated images, bad images skipped and counted; over many
 * images the pipeline gives exactly the lines of one image at a time, in order, on ONNX Runtime and on DL4J in batches.
 */
class DetectRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DetectionThresholds THRESHOLDS = new DetectionThresholds(0.05, 0.45);

    @TempDir
    static Path directory;

    private static Detector detector;
    private static Path images;
    private static Path elsewhere;

    @BeforeAll
    static void setUp() throws IOException {
        ModelSpec spec = DetectFixtures.smallTinyYolo(DetectFixtures.BCCD_CLASSES.size());
        byte[] onnx = OnnxExporter.withDefaults().export(spec, DetectFixtures.randomWeights(spec, 3).layers(), DetectFixtures.BCCD_CLASSES, "test");
        detector = OnnxRuntimeDetector.open(onnx, "small.onnx", Optional.empty(), 2);
        images = Files.createDirectories(directory.resolve("images"));
        List<Path> photos = DetectFixtures.bccdImages();
        for (Path photo : photos.subList(0, 3)) {
            Files.copy(photo, images.resolve(photo.getFileName()));
        }
        ImageIO.write(ImageIO.read(photos.get(3).toFile()), "png", images.resolve("as-png.png").toFile());
        byte[] whole = Files.readAllBytes(photos.get(4));
        Files.write(images.resolve("truncated.jpg"), Arrays.copyOf(whole, whole.length / 3));
        Files.writeString(images.resolve("notes.txt"), "not an image");
        elsewhere = Files.createDirectories(directory.resolve("elsewhere")).resolve(photos.get(0).getFileName());
        Files.copy(photos.get(0), elsewhere);
    }

    @AfterAll
    static void tearDown() {
        detector.close();
    }

    @Test
    void writesJsonLinesAndAnnotatedImages() throws IOException {
        Path output = directory.resolve("output");
        DetectRequest request = new DetectRequest(List.of(images.toString(), elsewhere.toString()), THRESHOLDS,
                Optional.of(output.toString()), DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        DetectSummary summary = new DetectRun(detector, request, new Configuration()).run(discard(), new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(summary.images()).isEqualTo(6);
        assertThat(summary.failures()).singleElement().asString().contains("truncated.jpg").contains("[CORRUPT_IMAGE]");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("detect: skipped").contains("truncated.jpg");
        assertThat(summary.annotatedImages()).isEqualTo(5);
        assertThat(summary.text()).contains("detect: 6 images").contains("failed: 1 images").contains("5 annotated images");

        List<String> lines = Files.readAllLines(output.resolve(DetectRun.DETECTIONS_FILE));
        assertThat(lines).hasSize(Math.toIntExact(summary.detections())).hasSizeGreaterThan(20);
        Set<String> imagesSeen = new HashSet<>();
        for (String line : lines) {
            JsonNode detection = JSON.readTree(line);
            assertThat(fieldNames(detection)).containsExactly("image", "class", "class_id", "score", "box");
            int classId = detection.get("class_id").asInt();
            assertThat(detection.get("class").asText()).isEqualTo(DetectFixtures.BCCD_CLASSES.get(classId));
            assertThat(detection.get("score").asDouble()).isBetween(0.05, 1.0);
            JsonNode box = detection.get("box");
            assertThat(box).hasSize(4);
            assertThat(box.get(0).asDouble()).isBetween(0.0, box.get(2).asDouble());
            assertThat(box.get(1).asDouble()).isBetween(0.0, box.get(3).asDouble());
            assertThat(box.get(2).asDouble()).isLessThanOrEqualTo(640);
            assertThat(box.get(3).asDouble()).isLessThanOrEqualTo(480);
            imagesSeen.add(detection.get("image").asText());
        }
        assertThat(imagesSeen).contains(images.resolve("as-png.png").toString(), elsewhere.toString());

        List<Detection> direct = detector.detect(ImageIO.read(elsewhere.toFile()), THRESHOLDS);
        assertThat(lines.stream().filter(line -> line.contains("\"image\":\"" + elsewhere + "\""))).hasSameSizeAs(Detection.clipAll(direct, 640, 480));

        String first = DetectFixtures.bccdImages().get(0).getFileName().toString();
        String firstStem = first.substring(0, first.length() - ".jpg".length());
        for (String name : List.of(first, firstStem + "-2.jpg", "as-png.png")) {
            BufferedImage annotated = ImageIO.read(output.resolve(name).toFile());
            assertThat(annotated).as(name).isNotNull();
            assertThat(annotated.getWidth()).isEqualTo(640);
            assertThat(annotated.getHeight()).isEqualTo(480);
        }
        assertThat(output.resolve("notes.txt")).doesNotExist();
    }

    @Test
    void manyImagesGiveTheSequentialLinesInInputOrderOnOnnxRuntime() throws IOException {
        assertPipelineMatchesSequential(detector, 3);
    }

    @Test
    void manyImagesGiveTheSequentialLinesInInputOrderOnDl4jInBatches() throws IOException {
        ModelSpec spec = DetectFixtures.smallTinyYolo(DetectFixtures.BCCD_CLASSES.size());
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();
        DarknetWeightsImporter.importAll(DetectFixtures.randomWeights(spec, 3), spec, network);
        try (Dl4jDetector dl4j = new Dl4jDetector(network, spec, DetectFixtures.BCCD_CLASSES, "small.zip")) {
            assertThat(dl4j.maxBatch()).isGreaterThan(1);
            assertPipelineMatchesSequential(dl4j, 2);
        }
    }

    /** 24 photos with an unreadable file at position 11, through the pipeline, against one image at a time. */
    private static void assertPipelineMatchesSequential(Detector detector, int decodeThreads) throws IOException {
        Path many = Files.createDirectories(directory.resolve("many-" + detector.model().runtime()));
        List<Path> photos = DetectFixtures.bccdImages();
        List<Path> inputs = new ArrayList<>();
        for (int index = 0; index < 24; index++) {
            Path input = many.resolve(String.format("%02d.jpg", index));
            if (index == 11) {
                Files.writeString(input, "not an image");
            }
            else {
                Files.copy(photos.get((index * 3) % photos.size()), input);
            }
            inputs.add(input);
        }
        List<String> expected = new ArrayList<>();
        for (Path input : inputs) {
            if (input.getFileName().toString().equals("11.jpg")) {
                continue;
            }
            BufferedImage image = ImageIO.read(input.toFile());
            for (Detection detection : Detection.clipAll(detector.detect(image, THRESHOLDS), image.getWidth(), image.getHeight())) {
                expected.add(DetectRun.jsonLine(input.toString(), detector.model().className(detection.classId()), detection));
            }
        }
        ByteArrayOutputStream standardOutput = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        DetectSummary summary = new DetectRun(detector, new DetectRequest(List.of(many.toString()), THRESHOLDS, Optional.empty(),
                DetectRequest.DEFAULT_MAX_IMAGE_PIXELS), new Configuration(), decodeThreads)
                .run(new PrintStream(standardOutput, true, StandardCharsets.UTF_8), new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(standardOutput.toString(StandardCharsets.UTF_8).lines().toList()).hasSizeGreaterThan(24).containsExactlyElementsOf(expected);
        assertThat(summary.images()).isEqualTo(24);
        assertThat(summary.failures()).singleElement().asString().startsWith(many.resolve("11.jpg") + ": [CORRUPT_IMAGE]");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("detect: skipped " + many.resolve("11.jpg"));
    }

    @Test
    void withoutOutputTheLinesGoToStandardOutput() throws IOException {
        Path output = directory.resolve("compare");
        List<String> inputs = List.of(elsewhere.toString());
        new DetectRun(detector, new DetectRequest(inputs, THRESHOLDS, Optional.of(output.toString()), DetectRequest.DEFAULT_MAX_IMAGE_PIXELS),
                new Configuration()).run(discard(), discard());
        ByteArrayOutputStream standardOutput = new ByteArrayOutputStream();

        DetectSummary summary = new DetectRun(detector, new DetectRequest(inputs, THRESHOLDS, Optional.empty(),
                DetectRequest.DEFAULT_MAX_IMAGE_PIXELS), new Configuration()).run(new PrintStream(standardOutput, true, StandardCharsets.UTF_8), discard());

        assertThat(standardOutput.toString(StandardCharsets.UTF_8).lines().toList())
                .isEqualTo(Files.readAllLines(output.resolve(DetectRun.DETECTIONS_FILE)))
                .isNotEmpty();
        assertThat(summary.output()).isEmpty();
        assertThat(summary.annotatedImages()).isZero();
    }

    @Test
    void missingInputFailsBeforeAnyImageRuns() {
        DetectRequest request = new DetectRequest(List.of(elsewhere.toString(), directory.resolve("nowhere").toString()), THRESHOLDS,
                Optional.empty(), DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        ByteArrayOutputStream standardOutput = new ByteArrayOutputStream();

        assertThatThrownBy(() -> new DetectRun(detector, request, new Configuration()).run(new PrintStream(standardOutput), discard()))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("input not found: " + directory.resolve("nowhere"));
        assertThat(standardOutput.toByteArray()).isEmpty();
    }

    @Test
    void directoryWithoutImagesIsAConfigurationError() throws IOException {
        Path empty = Files.createDirectories(directory.resolve("empty"));
        DetectRequest request = new DetectRequest(List.of(empty.toString()), THRESHOLDS, Optional.empty(), DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);

        assertThatThrownBy(() -> new DetectRun(detector, request, new Configuration()).run(discard(), discard()))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("no images in " + empty);
    }

    @Test
    void annotatedNamesNeverClash() {
        Set<String> taken = new HashSet<>();
        assertThat(DetectRun.annotatedName("a.jpg", taken)).isEqualTo("a.jpg");
        assertThat(DetectRun.annotatedName("a.jpg", taken)).isEqualTo("a-2.jpg");
        assertThat(DetectRun.annotatedName("a.bmp", taken)).isEqualTo("a.png");
        assertThat(DetectRun.annotatedName("a.png", taken)).isEqualTo("a-2.png");
        assertThat(DetectRun.annotatedName("README", taken)).isEqualTo("README.png");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static PrintStream discard() {
        return new PrintStream(PrintStream.nullOutputStream());
    }
}

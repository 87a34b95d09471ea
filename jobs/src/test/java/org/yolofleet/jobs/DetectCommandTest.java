package org.yolofleet.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorType;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.detect.DetectFixtures;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code yolofleet detect} on an ONNX export, end to end through the command line. */
class DetectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    private static Path model;
    private static Path images;

    @BeforeAll
    static void exportModelAndDrawImages() throws IOException {
        ModelSpec spec = DetectFixtures.smallTinyYolo(DetectFixtures.BCCD_CLASSES.size());
        model = directory.resolve("bccd.onnx");
        Files.write(model, OnnxExporter.withDefaults().export(spec, DetectFixtures.randomWeights(spec, 1).layers(),
                DetectFixtures.BCCD_CLASSES, "cli test"));
        images = Files.createDirectories(directory.resolve("images"));
        Random random = new Random(3);
        for (int index = 0; index < 3; index++) {
            BufferedImage image = new BufferedImage(320 + 80 * index, 240, BufferedImage.TYPE_INT_RGB);
            Graphics2D graphics = image.createGraphics();
            graphics.setColor(new Color(230, 200, 210));
            graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int cell = 0; cell < 12; cell++) {
                graphics.setColor(new Color(random.nextInt(256), random.nextInt(128), random.nextInt(256)));
                graphics.fillOval(random.nextInt(image.getWidth()), random.nextInt(image.getHeight()), 20 + random.nextInt(60), 20 + random.nextInt(60));
            }
            graphics.dispose();
            ImageIO.write(image, index == 2 ? "png" : "jpg", images.resolve("cells-" + index + (index == 2 ? ".png" : ".jpg")).toFile());
        }
    }

    @Test
    void writesJsonLinesAndAnnotatedImages() throws IOException {
        Path output = directory.resolve("output");

        CommandLineRun captured = CommandLineRun.of("detect", "--model", model.toString(), "--threshold", "0.05", "--output", output.toString(), images.toString());

        assertThat(captured.exitCode()).as(captured.err()).isZero();
        assertThat(captured.out()).isEmpty();
        assertThat(captured.err()).contains("detect: 3 images").contains("output: " + output);
        List<String> lines = Files.readAllLines(output.resolve("detections.jsonl"));
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            JsonNode detection = JSON.readTree(line);
            assertThat(detection.get("image").asText()).startsWith(images.toString());
            assertThat(DetectFixtures.BCCD_CLASSES).contains(detection.get("class").asText());
            assertThat(detection.get("class_id").asInt()).isBetween(0, 2);
            assertThat(detection.get("score").asDouble()).isBetween(0.05, 1.0);
            assertThat(detection.get("box")).hasSize(4);
        }
        for (String name : List.of("cells-0.jpg", "cells-1.jpg", "cells-2.png")) {
            assertThat(ImageIO.read(output.resolve(name).toFile())).as(name).isNotNull();
        }
    }

    @Test
    void withoutOutputPrintsJsonLinesOnly() throws IOException {
        Path image = images.resolve("cells-0.jpg");

        CommandLineRun captured = CommandLineRun.of("detect", "--model", model.toString(), "--threshold", "0.05", "--names", "white,red,platelet", image.toString());

        assertThat(captured.exitCode()).as(captured.err()).isZero();
        List<String> lines = captured.out().lines().toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            assertThat(List.of("white", "red", "platelet")).contains(JSON.readTree(line).get("class").asText());
        }
        assertThat(captured.err()).contains("output: standard output");
    }

    @Test
    void badThresholdNamesTheOption() {
        CommandLineRun captured = CommandLineRun.of("detect", "--model", model.toString(), "--threshold", "1.5", images.toString());

        assertThat(captured.exitCode()).isEqualTo(ErrorType.USER.exitCode());
        assertThat(captured.err()).contains("[CONFIG] --threshold 1.5 is out of range: allowed [0, 1]");
    }

    @Test
    void thresholdsComeFromTheConfigurationUnlessTheOptionsAreGiven() {
        Path image = images.resolve("cells-0.jpg");

        CommandLineRun configured = CommandLineRun.of("detect", "--model", model.toString(), "--set", "detect.threshold=1", image.toString());
        CommandLineRun optionWins = CommandLineRun.of("detect", "--model", model.toString(), "--threshold", "0.05",
                "--set", "detect.threshold=1", image.toString());

        assertThat(configured.exitCode()).as(configured.err()).isZero();
        assertThat(configured.out()).isEmpty();
        assertThat(optionWins.exitCode()).as(optionWins.err()).isZero();
        assertThat(optionWins.out()).isNotEmpty();
    }

    @Test
    void badConfiguredThresholdNamesTheKey() {
        CommandLineRun captured = CommandLineRun.of("detect", "--model", model.toString(), "--set", "detect.nms-iou=1.5", images.toString());

        assertThat(captured.exitCode()).isEqualTo(ErrorType.USER.exitCode());
        assertThat(captured.err()).contains("[CONFIG] yolofleet.detect.nms-iou = 1.5 is out of range: allowed [0.0, 1.0]");
    }

    @Test
    void helpListsTheOptions() {
        CommandLineRun captured = CommandLineRun.of("detect", "--help");

        assertThat(captured.exitCode()).isZero();
        assertThat(captured.out()).contains("Usage: yolofleet detect").contains("--model=FILE").contains("--weights=FILE")
                .contains("--names=FILE|LIST").contains("--threshold=SCORE").contains("--nms=IOU").contains("--output=DIR")
                .contains("IMAGE|DIR|URI");
    }
}

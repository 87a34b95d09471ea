package org.yolofleet.device.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.DetectionJsonLine;
import org.yolofleet.core.detect.NonMaxSuppression;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.ErrorType;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.image.ImagePreprocessor;
import org.yolofleet.core.image.NetworkInput;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.onnx.OnnxExportOptions.Precision;
import org.yolofleet.core.release.DecodeSpec;
import org.yolofleet.core.release.ReleaseRejectedException;
import org.yolofleet.device.detect.InstalledReleaseFixtures.Written;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code detect} on a signed release of a tiny exported network: its JSON lines are exactly what core's preprocessor,
 * region decoder and NMS give on an ONNX Runtime session the test runs itself, for FP32 and FP16 releases; bad images are
 * reported and skipped.
 */
class DetectCommandTest {
    private static final double SCORE = 0.05;
    private static final double NMS = 0.45;

    @TempDir
    static Path temporary;

    private static List<Path> images;

    @BeforeAll
    static void writeImages() throws IOException {
        Path directory = Files.createDirectories(temporary.resolve("images"));
        images = List.of(
                image(directory.resolve("wide.jpg"), 320, 200, 1, "jpg"),
                image(directory.resolve("tall.png"), 90, 160, 2, "png"),
                image(directory.resolve("network-size.png"), 128, 96, 3, "png"));
    }

    @Test
    void fp32ReleaseWritesTheLinesOfCoresDecoderOnOnnxRuntimeOutput() throws Exception {
        Written release = InstalledReleaseFixtures.write(temporary.resolve("fp32"), Precision.FLOAT32, 11);
        Run run = detect(new DetectCommand(), release.directory(), images);

        List<String> expected = expectedLines(release, images);
        assertThat(expected).hasSizeGreaterThan(3);
        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactlyElementsOf(expected);
        assertThat(run.err()).contains("detect: 3 images, " + expected.size() + " detections, 0 failed", "ms/image warm",
                "model tiny-test v11 (model.onnx, onnx-fp32)");
    }

    @Test
    void fp16ReleaseRunsItsHalfPrecisionExport() throws Exception {
        Written release = InstalledReleaseFixtures.write(temporary.resolve("fp16"), Precision.FLOAT16, 12);
        Run run = detect(new DetectCommand(), release.directory(), images);

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).isNotEmpty().containsExactlyElementsOf(expectedLines(release, images));
        assertThat(run.err()).contains("(model-fp16.onnx, onnx-fp16)");
    }

    @Test
    void onlyInstalledOnnxFilesAreCandidatesAndNoneInstalledIsAClearError() throws Exception {
        Path directory = temporary.resolve("both");
        Written release = InstalledReleaseFixtures.write(directory, List.of(Precision.FLOAT32, Precision.FLOAT16), 17,
                InstalledReleaseFixtures.spec(), InstalledReleaseFixtures.CLASSES);
        assertThat(InstalledModel.open(directory, Optional.empty()).artifact().name()).isEqualTo(InstalledReleaseFixtures.FP32);

        Files.delete(directory.resolve(InstalledReleaseFixtures.FP32)); // as a device whose profile installs the FP16 file holds it
        Run run = detect(new DetectCommand(), directory, images.subList(0, 1));
        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).isNotEmpty();
        assertThat(run.err()).contains("(model-fp16.onnx, onnx-fp16)");

        Files.delete(directory.resolve(InstalledReleaseFixtures.FP16));
        assertThatThrownBy(() -> InstalledModel.open(directory, Optional.empty()))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("[NOT_FOUND]").hasMessageContaining("model.onnx (onnx-fp32), model-fp16.onnx (onnx-fp16)")
                .hasMessageContaining("none is installed in " + directory);
        assertThat(release.manifest().artifacts()).hasSize(3);
    }

    @Test
    void unreadableImagesAreReportedAndTheOthersStillRun() throws Exception {
        Written release = InstalledReleaseFixtures.write(temporary.resolve("bad-images"), Precision.FLOAT32, 13);
        Path notAnImage = Files.writeString(temporary.resolve("notes.jpg"), "not an image");
        byte[] whole = Files.readAllBytes(images.get(0));
        Path truncated = Files.write(temporary.resolve("truncated.jpg"), Arrays.copyOf(whole, whole.length / 2));
        Path missing = temporary.resolve("missing.png");
        List<Path> inputs = List.of(notAnImage, images.get(0), truncated, missing, images.get(1));

        Run run = detect(new DetectCommand(), release.directory(), inputs);

        assertThat(run.exitCode()).isEqualTo(ErrorType.BAD_DATA.exitCode());
        assertThat(run.outLines()).isNotEmpty().containsExactlyElementsOf(expectedLines(release, List.of(images.get(0), images.get(1))));
        assertThat(run.err()).contains(
                "detect: skipped " + notAnImage + ": [CORRUPT_IMAGE]",
                "detect: skipped " + truncated + ": [CORRUPT_IMAGE] IMAGE_TRUNCATED",
                "detect: skipped " + missing + ": [NOT_FOUND] no such file " + missing,
                "detect: 5 images, " + run.outLines().size() + " detections, 3 failed");
    }

    @Test
    void manyImagesThroughSeveralDecodeThreadsKeepTheirOrder() throws Exception {
        Written release = InstalledReleaseFixtures.write(temporary.resolve("many"), Precision.FLOAT32, 15);
        Path notAnImage = Files.writeString(temporary.resolve("many-notes.jpg"), "not an image");
        List<Path> inputs = new ArrayList<>();
        for (int index = 0; index < 30; index++) {
            inputs.add(index == 13 ? notAnImage : images.get(index % images.size()));
        }
        List<Path> readable = inputs.stream().filter(input -> !input.equals(notAnImage)).toList();

        Run run = detect(new DetectCommand(), release.directory(), inputs, "--decode-threads", "3");

        assertThat(run.exitCode()).isEqualTo(ErrorType.BAD_DATA.exitCode());
        assertThat(run.outLines()).hasSizeGreaterThan(29).containsExactlyElementsOf(expectedLines(release, readable));
        assertThat(run.err()).contains("detect: skipped " + notAnImage + ": [CORRUPT_IMAGE]", "detect: 30 images, " + run.outLines().size()
                + " detections, 1 failed");
    }

    @Test
    void withoutReleaseOptionTheInstalledReleaseOfTheAgentRuns() throws Exception {
        Written release = InstalledReleaseFixtures.write(temporary.resolve("install/releases/v14"), Precision.FLOAT32, 14);
        Run run = detect(new DetectCommand(release::directory), null, images.subList(0, 1));

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactlyElementsOf(expectedLines(release, images.subList(0, 1)));
    }

    @Test
    void changedArtifactIsRefusedBeforeItRuns() throws Exception {
        Written release = InstalledReleaseFixtures.write(temporary.resolve("tampered"), Precision.FLOAT32, 15);
        Path onnx = release.directory().resolve(InstalledReleaseFixtures.FP32);
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[bytes.length / 2] ^= 1;
        Files.write(onnx, bytes);

        assertThatThrownBy(() -> InstalledModel.open(release.directory(), Optional.empty()))
                .isInstanceOf(ReleaseRejectedException.class)
                .hasMessageContaining("[RELEASE_TAMPERED]").hasMessageContaining(onnx.toString()).hasMessageContaining("SHA-256");
        Run run = detect(new DetectCommand(), release.directory(), images.subList(0, 1));
        assertThat(run.exitCode()).isEqualTo(ErrorType.REFUSED.exitCode());
        assertThat(run.outLines()).isEmpty();
    }

    @Test
    void artifactThatIsNoOnnxModelIsRefusedNamingTheRunnableOnes() throws Exception {
        Written release = InstalledReleaseFixtures.write(temporary.resolve("named"), Precision.FLOAT32, 16);

        assertThatThrownBy(() -> InstalledModel.open(release.directory(), Optional.of(InstalledReleaseFixtures.REPORT)))
                .isInstanceOf(YoloFleetException.class)
                .matches(failure -> ((YoloFleetException) failure).code() == ErrorCode.CONFIG)
                .hasMessageContaining("report.json' is report").hasMessageContaining("model.onnx (onnx-fp32)");
        assertThatThrownBy(() -> InstalledModel.open(temporary.resolve("nothing-installed"), Optional.empty()))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("[NOT_FOUND]").hasMessageContaining("yolofleet-agent sync");
    }

    private record Run(int exitCode, List<String> outLines, String err) {
    }

    private static Run detect(DetectCommand command, Path release, List<Path> inputs, String... options) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((failure, line, parsed) -> {
                    YoloFleetException reported = (YoloFleetException) failure;
                    line.getErr().println("error: " + reported.getMessage());
                    return reported.code().type().exitCode();
                });
        List<String> arguments = new ArrayList<>(List.of("--threshold", String.valueOf(SCORE), "--nms", String.valueOf(NMS), "--threads", "1"));
        if (release != null) {
            arguments.addAll(List.of("--release", release.toString()));
        }
        arguments.addAll(List.of(options));
        inputs.forEach(input -> arguments.add(input.toString()));
        int exitCode = commandLine.execute(arguments.toArray(String[]::new));
        List<String> lines = out.toString().lines().toList();
        return new Run(exitCode, lines, err.toString());
    }

    /** The lines computed here: core's decoder, preprocessor and NMS on the output of an ONNX Runtime session of our own. */
    private static List<String> expectedLines(Written release, List<Path> inputs) throws IOException, OrtException {
        DecodeSpec spec = release.manifest().decode();
        ImagePreprocessor preprocessor = new ImagePreprocessor(spec.width(), spec.height(), spec.resizeMode(), spec.resizeFilter());
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        List<String> lines = new ArrayList<>();
        try (OrtSession session = environment.createSession(release.onnx(), new OrtSession.SessionOptions())) {
            for (Path input : inputs) {
                RgbImage image = new ImageDecoder(DetectCommand.DEFAULT_MAX_IMAGE_PIXELS).decode(Files.readAllBytes(input)).image();
                NetworkInput network = preprocessor.preprocess(image);
                float[] raw;
                try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(network.pixels()), new long[] {1, 3, spec.height(), spec.width()});
                        OrtSession.Result result = session.run(Map.of("images", tensor))) {
                    FloatBuffer output = ((OnnxTensor) result.get(0)).getFloatBuffer();
                    raw = new float[output.remaining()];
                    output.get(raw);
                }
                List<Detection> detections = Detection.clipAll(spec.decoder().detect(raw, network.letterbox(), SCORE,
                        NonMaxSuppression.withIouThreshold(NMS)), image.width(), image.height());
                detections.forEach(detection -> lines.add(DetectionJsonLine.of(input.toString(), spec.classes().get(detection.classId()), detection)));
            }
        }
        return lines;
    }

    /** A photo-like image: a gradient with a few filled rectangles and ellipses of random colours. */
    private static Path image(Path file, int width, int height, long seed, String format) throws IOException {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        for (int y = 0; y < height; y++) {
            graphics.setColor(new Color(40 + 150 * y / height, 90, 200 - 150 * y / height));
            graphics.drawLine(0, y, width, y);
        }
        for (int shape = 0; shape < 6; shape++) {
            graphics.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            int x = random.nextInt(width - 20);
            int y = random.nextInt(height - 20);
            int w = 10 + random.nextInt(width / 2);
            int h = 10 + random.nextInt(height / 2);
            if (shape % 2 == 0) {
                graphics.fillRect(x, y, w, h);
            }
            else {
                graphics.fillOval(x, y, w, h);
            }
        }
        graphics.dispose();
        if (!ImageIO.write(image, format, file.toFile())) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return file;
    }
}

package org.yolofleet.detect;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.image.ImagePreprocessor;
import org.yolofleet.core.image.NetworkInput;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.core.onnx.OnnxExportOptions;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.model.DarknetWeightsImporter;
import org.yolofleet.model.TinyYoloGraphBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our ONNX export, run by the real ONNX Runtime, computes what the DL4J network computes from the same Darknet weights,
 * on real photos (BCCD): every value of the raw region tensor within 1e-4, and the same detections after decoding and
 * NMS at a low threshold (0.005), so hundreds of them are compared per image.
 */
class OnnxRuntimeMatchesDl4jTest {
    private static final double MAXIMUM_DIFFERENCE = 1e-4;
    private static final DetectionThresholds LOW = new DetectionThresholds(0.005, 0.45);
    private static final int ORT_THREADS = Runtime.getRuntime().availableProcessors();

    @ParameterizedTest
    @EnumSource(OnnxExportOptions.BatchNormalization.class)
    void smallTinyYoloGivesTheSameOutputAndDetections(OnnxExportOptions.BatchNormalization batchNormalization) {
        ModelSpec spec = DetectFixtures.smallTinyYolo(DetectFixtures.BCCD_CLASSES.size());
        Comparison comparison = compare(spec, DetectFixtures.randomWeights(spec, 11), DetectFixtures.BCCD_CLASSES,
                new OnnxExporter(OnnxExportOptions.DEFAULTS.withBatchNormalization(batchNormalization)));
        report("224 x 224, batch norm " + batchNormalization, comparison);

        assertThat(comparison.maximumDifference()).isLessThanOrEqualTo(MAXIMUM_DIFFERENCE);
        assertThat(comparison.detectionsPerImage()).allSatisfy(count -> assertThat(count).isGreaterThan(50));
    }

    /** The full network of {@code yolov2-tiny-voc.cfg}: 416 x 416, 20 classes, 15.9 million parameters. */
    @Test
    void fullTinyYoloVocGivesTheSameOutputAndDetections() {
        ModelSpec spec = TinyYoloV2.voc();
        Comparison comparison = compare(spec, DetectFixtures.randomWeights(spec, 416), DetectFixtures.VOC_CLASSES, OnnxExporter.withDefaults());
        report("TinyYoloV2.voc() 416 x 416", comparison);

        assertThat(comparison.maximumDifference()).isLessThanOrEqualTo(MAXIMUM_DIFFERENCE);
        assertThat(comparison.detectionsPerImage()).allSatisfy(count -> assertThat(count).isGreaterThan(50));
    }

    /** The largest raw difference over all images, the detections per image (asserted equal inside) and forward times. */
    private record Comparison(double maximumDifference, List<Integer> detectionsPerImage, int borderlineDetections, double onnxMilliseconds,
            double dl4jMilliseconds) {}

    private static Comparison compare(ModelSpec spec, DarknetWeights weights, List<String> classNames, OnnxExporter exporter) {
        byte[] onnx = exporter.export(spec, weights.layers(), classNames, "random weights");
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();
        DarknetWeightsImporter.importAll(weights, spec, network);
        ImageDecoder reader = new ImageDecoder(DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        double maximumDifference = 0;
        List<Integer> counts = new ArrayList<>();
        long onnxNanos = 0;
        long dl4jNanos = 0;
        int borderline = 0;
        try (Detector onnxRuntime = OnnxRuntimeDetector.open(onnx, "random.onnx", Optional.empty(), ORT_THREADS);
                Detector dl4j = new Dl4jDetector(network, spec, classNames, "random weights")) {
            assertThat(onnxRuntime.model()).usingRecursiveComparison().ignoringFields("runtime", "source").isEqualTo(dl4j.model());
            ImagePreprocessor preprocessor = onnxRuntime.model().preprocessor();
            for (Path file : DetectFixtures.bccdImages()) {
                RgbImage image = reader.decode(Files.readAllBytes(file)).image();
                NetworkInput input = preprocessor.preprocess(image);
                // a first pass each, untimed (session and workspace warm-up)
                onnxRuntime.rawOutput(input.pixels());
                dl4j.rawOutput(input.pixels());
                long start = System.nanoTime();
                float[] onnxOutput = onnxRuntime.rawOutput(input.pixels());
                long middle = System.nanoTime();
                float[] dl4jOutput = dl4j.rawOutput(input.pixels());
                dl4jNanos += System.nanoTime() - middle;
                onnxNanos += middle - start;

                assertThat(onnxOutput).hasSize(dl4j.model().outputLength()).hasSameSizeAs(dl4jOutput);
                for (int index = 0; index < onnxOutput.length; index++) {
                    maximumDifference = Math.max(maximumDifference, Math.abs(onnxOutput[index] - dl4jOutput[index]));
                }
                List<Detection> fromOnnx = onnxRuntime.model().decoder().detect(onnxOutput, input.letterbox(), LOW.score(), LOW.suppression());
                List<Detection> fromDl4j = dl4j.model().decoder().detect(dl4jOutput, input.letterbox(), LOW.score(), LOW.suppression());
                borderline += assertSameDetections(file.getFileName().toString(), fromOnnx, fromDl4j);
                counts.add(fromOnnx.size());
            }
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int images = counts.size();
        return new Comparison(maximumDifference, counts, borderline, onnxNanos / 1e6 / images, dl4jNanos / 1e6 / images);
    }

    /**
     * The same detections: each ONNX Runtime detection has its own DL4J twin of the same class, a score within 1e-4 and a
     * box with IoU above 0.999, and no DL4J detection is left over (raw values differ in the last float bits, so boxes
     * differ by a fraction of a pixel). The one allowance: a detection scoring within 1e-4 of the threshold may be on one
     * side only, as the raw tolerance lets its score fall either side of it (seen: 0.005000004 in DL4J, just under 0.005
     * in ONNX Runtime); it can only suppress detections scoring even lower, so it cannot hide another difference.
     *
     * @return the detections left out of the comparison that way
     */
    private static int assertSameDetections(String image, List<Detection> fromOnnx, List<Detection> fromDl4j) {
        List<Detection> unmatched = new ArrayList<>(fromDl4j);
        List<Detection> withoutTwin = new ArrayList<>();
        for (Detection detection : fromOnnx) {
            Optional<Detection> twin = unmatched.stream()
                    .filter(candidate -> candidate.classId() == detection.classId())
                    .filter(candidate -> Math.abs(candidate.score() - detection.score()) <= MAXIMUM_DIFFERENCE)
                    .filter(candidate -> candidate.box().iou(detection.box()) > 0.999)
                    .findFirst();
            twin.ifPresentOrElse(unmatched::remove, () -> withoutTwin.add(detection));
        }
        int borderline = (int) (withoutTwin.stream().filter(OnnxRuntimeMatchesDl4jTest::isBorderline).count()
                + unmatched.stream().filter(OnnxRuntimeMatchesDl4jTest::isBorderline).count());
        withoutTwin.removeIf(OnnxRuntimeMatchesDl4jTest::isBorderline);
        unmatched.removeIf(OnnxRuntimeMatchesDl4jTest::isBorderline);
        assertThat(withoutTwin).as("ONNX Runtime detections in %s without a DL4J twin (DL4J's left over: %s)", image, unmatched).isEmpty();
        assertThat(unmatched).as("DL4J detections in %s without an ONNX Runtime twin", image).isEmpty();
        return borderline;
    }

    private static boolean isBorderline(Detection detection) {
        return detection.score() < LOW.score() + MAXIMUM_DIFFERENCE;
    }

    private static void report(String model, Comparison comparison) {
        System.out.printf(Locale.ROOT, "%s: max |ONNX Runtime - DL4J| = %.3g over %d images, detections per image at 0.005: %s"
                        + " (%d within 1e-4 of the threshold on one side only); forward ms/image: ONNX Runtime %.1f, DL4J %.1f%n", model, comparison.maximumDifference(),
                comparison.detectionsPerImage().size(), comparison.detectionsPerImage(), comparison.borderlineDetections(),
                comparison.onnxMilliseconds(),
                comparison.dl4jMilliseconds());
    }
}

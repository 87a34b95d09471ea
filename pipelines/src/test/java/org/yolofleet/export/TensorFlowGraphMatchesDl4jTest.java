package org.yolofleet.export;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.image.NetworkInput;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.detect.DetectFixtures;
import org.yolofleet.detect.DetectRequest;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.Dl4jDetector;
import org.yolofleet.detect.OnnxRuntimeDetector;
import org.yolofleet.model.DarknetWeightsImporter;
import org.yolofleet.model.TinyYoloGraphBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our TensorFlow export, run by TensorFlow itself, computes what the DL4J network and the ONNX export (in ONNX Runtime)
 * compute from the same Darknet weights: every value of the raw region tensor, transposed to NCHW, within 1e-4
 * relative ({@code |tf - other| <= 1e-4 * max(1, |other|)}), on real photos (BCCD).
 */
class TensorFlowGraphMatchesDl4jTest {
    private static final double MAXIMUM_RELATIVE_DIFFERENCE = 1e-4;
    private static final int ORT_THREADS = Runtime.getRuntime().availableProcessors();

    @Test
    void smallTinyYoloMatchesDl4jAndOnnxRuntime() throws Exception {
        ModelSpec spec = DetectFixtures.smallTinyYolo(DetectFixtures.BCCD_CLASSES.size()).withInputSize(128, 128);
        DarknetWeights weights = DetectFixtures.randomWeights(spec, 11);
        byte[] graph = new TensorFlowGraphExporter().export(spec, weights.layers());
        byte[] onnx = OnnxExporter.withDefaults().export(spec, weights.layers(), DetectFixtures.BCCD_CLASSES, "random weights");
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();
        DarknetWeightsImporter.importAll(weights, spec, network);
        ImageDecoder reader = new ImageDecoder(DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        double versusDl4j = 0;
        double versusOnnx = 0;
        try (TensorFlowGraphRunner tensorFlow = TensorFlowGraphRunner.open(graph, "small.pb");
                Detector onnxRuntime = OnnxRuntimeDetector.open(onnx, "small.onnx", Optional.empty(), ORT_THREADS);
                Detector dl4j = new Dl4jDetector(network, spec, DetectFixtures.BCCD_CLASSES, "random weights")) {
            assertThat(tensorFlow.inputShape()).containsExactly(1, 128, 128, 3);
            for (Path file : DetectFixtures.bccdImages()) {
                NetworkInput input = dl4j.model().preprocessor().preprocess(reader.decode(Files.readAllBytes(file)).image());
                TensorFlowGraphRunner.Output output = tensorFlow.run(TensorFlowGraphRunner.toNhwc(input.pixels(), 3, 128, 128));
                assertThat(output.shape()).containsExactly(1, spec.gridHeight(), spec.gridWidth(), spec.region().outputChannels());
                float[] nchw = output.toNchw();
                versusDl4j = Math.max(versusDl4j, maximumRelativeDifference(nchw, dl4j.rawOutput(input.pixels())));
                versusOnnx = Math.max(versusOnnx, maximumRelativeDifference(nchw, onnxRuntime.rawOutput(input.pixels())));
            }
        }
        System.out.printf(Locale.ROOT, "128 x 128 small Tiny-YOLOv2: max relative |TensorFlow - DL4J| = %.3g, |TensorFlow - ONNX Runtime| = %.3g%n",
                versusDl4j, versusOnnx);
        assertThat(versusDl4j).isLessThanOrEqualTo(MAXIMUM_RELATIVE_DIFFERENCE);
        assertThat(versusOnnx).isLessThanOrEqualTo(MAXIMUM_RELATIVE_DIFFERENCE);
    }

    /**
     * The full {@code yolov2-tiny-voc.cfg} at 416 x 416: the 2x2 stride-1 maxpool keeps the 13 x 13 grid (a 12 x 12 one
     * would shift every box), and TensorFlow agrees with ONNX Runtime on every value.
     */
    @Test
    void fullTinyYoloVocKeepsTheThirteenByThirteenGridAndMatchesOnnxRuntime() {
        ModelSpec spec = TinyYoloV2.voc();
        DarknetWeights weights = DetectFixtures.randomWeights(spec, 416);
        byte[] graph = new TensorFlowGraphExporter().export(spec, weights.layers());
        byte[] onnx = OnnxExporter.withDefaults().export(spec, weights.layers(), DetectFixtures.VOC_CLASSES, "random weights");
        Random random = new Random(7);
        float[] nchwInput = new float[3 * 416 * 416];
        for (int index = 0; index < nchwInput.length; index++) {
            nchwInput[index] = random.nextFloat();
        }
        double difference;
        try (TensorFlowGraphRunner tensorFlow = TensorFlowGraphRunner.open(graph, "voc.pb");
                Detector onnxRuntime = OnnxRuntimeDetector.open(onnx, "voc.onnx", Optional.empty(), ORT_THREADS)) {
            TensorFlowGraphRunner.Output output = tensorFlow.run(TensorFlowGraphRunner.toNhwc(nchwInput, 3, 416, 416));
            assertThat(output.shape()).containsExactly(1, 13, 13, 125);
            difference = maximumRelativeDifference(output.toNchw(), onnxRuntime.rawOutput(nchwInput));
        }
        System.out.printf(Locale.ROOT, "TinyYoloV2.voc() 416 x 416: output [1, 13, 13, 125], max relative |TensorFlow - ONNX Runtime| = %.3g, graph %,d bytes%n",
                difference, graph.length);
        assertThat(difference).isLessThanOrEqualTo(MAXIMUM_RELATIVE_DIFFERENCE);
    }

    private static double maximumRelativeDifference(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        double maximum = 0;
        for (int index = 0; index < actual.length; index++) {
            maximum = Math.max(maximum, Math.abs(actual[index] - expected[index]) / Math.max(1.0, Math.abs(expected[index])));
        }
        return maximum;
    }
}

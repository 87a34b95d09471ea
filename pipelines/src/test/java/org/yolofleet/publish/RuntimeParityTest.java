package org.yolofleet.publish;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.detect.DetectFixtures;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.DetectorModel;
import org.yolofleet.detect.Dl4jDetector;
import org.yolofleet.detect.OnnxRuntimeDetector;
import org.yolofleet.model.DarknetWeightsImporter;
import org.yolofleet.model.TinyYoloGraphBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The faithfulness check on a real pair (DL4J and our ONNX export in ONNX Runtime) and on exports that are wrong on purpose. */
class RuntimeParityTest {
    private static final RuntimeParity PARITY = new RuntimeParity(1e-4, new DetectionThresholds(0.005, 0.45));
    private static Dl4jDetector checkpoint;
    private static List<ValImage> images;

    @BeforeAll
    static void network() throws IOException {
        ModelSpec spec = DetectFixtures.smallTinyYolo(DetectFixtures.BCCD_CLASSES.size());
        DarknetWeights weights = DetectFixtures.randomWeights(spec, 7);
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();
        DarknetWeightsImporter.importAll(weights, spec, network);
        checkpoint = new Dl4jDetector(network, spec, DetectFixtures.BCCD_CLASSES, "random weights");
        images = new ArrayList<>();
        for (Path file : DetectFixtures.bccdImages().subList(0, 3)) {
            images.add(new ValImage(file.getFileName().toString(), ImageDecoder.STORED_IMAGES.decode(Files.readAllBytes(file)).image(), List.of()));
        }
    }

    @AfterAll
    static void close() {
        checkpoint.close();
    }

    @Test
    void ourOnnxExportInOnnxRuntimePassesWithTheSameDetections() {
        ModelSpec spec = checkpoint.spec();
        byte[] onnx = OnnxExporter.withDefaults().export(spec, org.yolofleet.model.DarknetWeightsExporter.export(checkpoint.network(), spec, 0).layers(),
                DetectFixtures.BCCD_CLASSES, "random weights");
        try (Detector runtime = OnnxRuntimeDetector.open(onnx, "model.onnx", Optional.empty(), 2)) {
            ParityResult result = PARITY.compare("onnx-fp32", checkpoint, runtime, images);
            System.out.println(result.describe() + " " + result.detectionDifference());
            assertThat(result.passed()).isTrue();
            assertThat(result.images()).isEqualTo(3);
            assertThat(result.worstError()).isLessThan(1e-4).isPositive();
            assertThat(result.detections()).as("a low threshold compares hundreds of detections").isGreaterThan(100);
            result.requirePassed();
        }
    }

    @Test
    void oneElementOffByMoreThanTheToleranceFailsNamingTheFormatTheImageAndTheElement() {
        DetectorModel model = checkpoint.model();
        int cells = model.gridWidth() * model.gridHeight();
        // anchor 0, field 4 (objectness), cell x 1, y 2
        int index = 4 * cells + 2 * model.gridWidth() + 1;
        Detector shifted = new Shifted(checkpoint, index, 5e-4f);
        ParityResult result = PARITY.compare("tf-frozen-graph", checkpoint, shifted, images);
        assertThat(result.passed()).isFalse();
        assertThat(result.worstElement()).isEqualTo("anchor 0 objectness at cell (x 1, y 2)");
        assertThatThrownBy(result::requirePassed)
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.EXPORT_MISMATCH))
                .hasMessageContaining("tf-frozen-graph")
                .hasMessageContaining(images.get(0).key())
                .hasMessageContaining("anchor 0 objectness at cell (x 1, y 2)");

        assertThat(PARITY.compare("within", checkpoint, new Shifted(checkpoint, index, 5e-5f), images).worstError()).isLessThan(1e-4);
    }

    @Test
    void aNotANumberFailsAsAnInfiniteError() {
        ParityResult result = PARITY.compare("onnx-fp16", checkpoint, new Shifted(checkpoint, 0, Float.NaN), images);
        assertThat(result.worstError()).isInfinite();
        assertThat(result.passed()).isFalse();
    }

    /** The checkpoint's output with one element moved by {@code shift}: an export wrong in one place. */
    private record Shifted(Dl4jDetector checkpoint, int index, float shift) implements Detector {
        @Override
        public DetectorModel model() {
            return checkpoint.model();
        }

        @Override
        public float[] rawOutput(float[] input) {
            float[] output = checkpoint.rawOutput(input);
            output[index] += shift;
            return output;
        }

        @Override
        public void close() {
        }
    }
}

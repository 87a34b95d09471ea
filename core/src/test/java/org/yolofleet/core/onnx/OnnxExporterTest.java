package org.yolofleet.core.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.Activation;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.NetOptions;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TensorShape;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.core.onnx.OnnxExportOptions.BatchNormalization;
import org.yolofleet.core.onnx.OnnxExportOptions.MaxPoolPadding;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OnnxExporterTest {
    /** What the issue asks of the export: ONNX Runtime within this of Darknet, everywhere. */
    private static final double TOLERANCE = 1e-4;

    static Stream<Arguments> everyOptionAndOptimization() {
        List<Arguments> arguments = new ArrayList<>();
        for (BatchNormalization batchNormalization : BatchNormalization.values()) {
            for (MaxPoolPadding maxPoolPadding : MaxPoolPadding.values()) {
                for (boolean optimized : new boolean[] {false, true}) {
                    arguments.add(Arguments.of(new OnnxExportOptions(batchNormalization, maxPoolPadding), optimized));
                }
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}, ORT optimised: {1}")
    @MethodSource("everyOptionAndOptimization")
    void onnxRuntimeComputesWhatDarknetComputesOnTinyYoloLayout(OnnxExportOptions options, boolean optimized) throws OrtException {
        assertMatchesDarknet(OnnxFixtures.tinyLayoutSpec(), options, optimized, 11);
    }

    @ParameterizedTest(name = "{0}, ORT optimised: {1}")
    @MethodSource("everyOptionAndOptimization")
    void onnxRuntimeComputesWhatDarknetComputesOnEdgeCases(OnnxExportOptions options, boolean optimized) throws OrtException {
        assertMatchesDarknet(OnnxFixtures.edgeCaseSpec(), options, optimized, 12);
    }

    private static void assertMatchesDarknet(ModelSpec spec, OnnxExportOptions options, boolean optimized, long seed) throws OrtException {
        List<ConvolutionalWeights> weights = OnnxFixtures.randomWeights(spec, seed);
        byte[] model = new OnnxExporter(options).export(spec, weights, OnnxFixtures.classNames(spec), "test");
        TensorShape output = spec.outputShapes().get(spec.layers().size() - 1);
        try (OnnxRuntimeSession session = new OnnxRuntimeSession(model, optimized)) {
            for (Map.Entry<String, float[]> image : OnnxFixtures.images(spec.inputShape(), seed).entrySet()) {
                float[] expected = DarknetReferenceForward.forward(spec, weights, image.getValue());
                float[] actual = session.run(OnnxExporter.INPUT_NAME, image.getValue(), new long[] {1, 3, spec.height(), spec.width()});
                assertThat(actual).as(image.getKey()).hasSize(Math.toIntExact(output.elementCount()));
                assertThat(maximumAbsoluteDifference(expected, actual)).as(image.getKey()).isLessThanOrEqualTo(TOLERANCE);
                assertThat(maximumAbsoluteValue(expected)).as("%s: the outputs are not all near zero", image.getKey()).isGreaterThan(0.05);
            }
        }
    }

    @Test
    void fixturesTellDarknetsBatchNormalisationFromTheStandardOne() {
        // Darknet's formula over variances + 1e-5 is, to within 1e-6, the standard sqrt(variance + 1e-5): an export that
        // used the standard formula would miss the tolerance above by far
        ModelSpec spec = OnnxFixtures.tinyLayoutSpec();
        List<ConvolutionalWeights> weights = OnnxFixtures.randomWeights(spec, 11);
        float[] image = OnnxFixtures.images(spec.inputShape(), 11).get("uniform random");
        float[] darknet = DarknetReferenceForward.forward(spec, weights, image);
        List<ConvolutionalWeights> standardFormula = weights.stream()
                .map(layer -> layer.hasBatchNormalization()
                        ? ConvolutionalWeights.withBatchNormalization(layer.biases(), layer.scales(), layer.rollingMean(),
                                addToVariances(layer.rollingVariance(), 1e-5f), layer.weights())
                        : layer)
                .toList();
        assertThat(maximumAbsoluteDifference(darknet, DarknetReferenceForward.forward(spec, standardFormula, image)))
                .as("adding 1e-5 to the variances (the standard formula with epsilon 1e-5) changes the output")
                .isGreaterThan(100 * TOLERANCE);
    }

    @Test
    void inputAndOutputAreNamedAndStatic() throws OrtException {
        ModelSpec spec = OnnxFixtures.tinyLayoutSpec();
        byte[] model = OnnxExporter.withDefaults().export(spec, OnnxFixtures.randomWeights(spec, 1), OnnxFixtures.classNames(spec), "v1");
        try (OnnxRuntimeSession session = new OnnxRuntimeSession(model, true)) {
            Map<String, NodeInfo> inputs = session.session().getInputInfo();
            Map<String, NodeInfo> outputs = session.session().getOutputInfo();
            assertThat(inputs).containsOnlyKeys("images");
            assertThat(outputs).containsOnlyKeys("region");
            assertThat(OnnxRuntimeSession.shape(inputs.get("images"))).containsExactly(1, 3, 64, 96);
            assertThat(OnnxRuntimeSession.shape(outputs.get("region"))).containsExactly(1, 2 * (5 + 3), 2, 3);
            assertThat(((TensorInfo) inputs.get("images").getInfo()).type).isEqualTo(OnnxJavaType.FLOAT);
            assertThat(((TensorInfo) outputs.get("region").getInfo()).type).isEqualTo(OnnxJavaType.FLOAT);
        }
    }

    @Test
    void metadataIsReadableThroughOnnxRuntime() throws OrtException {
        ModelSpec spec = OnnxFixtures.tinyLayoutSpec();
        List<String> classNames = List.of("dog", "person", "traffic light");
        byte[] model = OnnxExporter.withDefaults().export(spec, OnnxFixtures.randomWeights(spec, 1), classNames, "2024-06-01 run 7");
        try (OnnxRuntimeSession session = new OnnxRuntimeSession(model, true)) {
            OnnxModelMetadata metadata = session.session().getMetadata();
            assertThat(metadata.getProducerName()).isEqualTo("yolofleet");
            assertThat(metadata.getGraphName()).isEqualTo("yolofleet");
            assertThat(metadata.getCustomMetadata()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "producer", "yolofleet",
                    "model_version", "2024-06-01 run 7",
                    "classes", "dog,person,traffic light",
                    "anchors", "1.08,1.19,3.42,4.41",
                    "input_width", "96",
                    "input_height", "64",
                    "resize_mode", "letterbox",
                    "resize_filter", "area",
                    "preprocessing", "RGB, [0,1], NCHW",
                    "precision", "fp32"));
            assertThat(OnnxMetadata.fromMap(metadata.getCustomMetadata())).isEqualTo(new OnnxMetadata(classNames,
                    List.of(new Anchor(1.08, 1.19), new Anchor(3.42, 4.41)), 96, 64, ResizeMode.LETTERBOX, "2024-06-01 run 7"));
        }
    }

    @Test
    void fullTinyYoloV2VocAt416LoadsAndRuns() throws OrtException {
        ModelSpec spec = TinyYoloV2.voc();
        byte[] model = OnnxExporter.withDefaults().export(spec, OnnxFixtures.randomWeights(spec, 416), OnnxFixtures.classNames(spec), "voc");
        try (OnnxRuntimeSession session = new OnnxRuntimeSession(model, true)) {
            assertThat(OnnxRuntimeSession.shape(session.session().getInputInfo().get("images"))).containsExactly(1, 3, 416, 416);
            assertThat(OnnxRuntimeSession.shape(session.session().getOutputInfo().get("region"))).containsExactly(1, 125, 13, 13);
            float[] image = OnnxFixtures.images(spec.inputShape(), 416).get("uniform random");
            float[] region = session.run("images", image, new long[] {1, 3, 416, 416});
            assertThat(region).hasSize(125 * 13 * 13);
            for (float value : region) {
                assertThat(value).isFinite();
            }
        }
    }

    @Test
    void optionsChooseTheNodes() {
        ModelSpec spec = OnnxFixtures.tinyLayoutSpec();
        List<ConvolutionalWeights> weights = OnnxFixtures.randomWeights(spec, 1);
        List<String> classNames = OnnxFixtures.classNames(spec);
        String folded = text(OnnxExporter.withDefaults().export(spec, weights, classNames, "v"));
        String kept = text(new OnnxExporter(OnnxExportOptions.DEFAULTS.withBatchNormalization(BatchNormalization.KEEP))
                .export(spec, weights, classNames, "v"));
        String edgePadded = text(new OnnxExporter(OnnxExportOptions.DEFAULTS.withMaxPoolPadding(MaxPoolPadding.EDGE_PAD))
                .export(spec, weights, classNames, "v"));
        assertThat(folded).doesNotContain("BatchNormalization").doesNotContain("layer_11_pad").contains("layer_11_maxpool");
        assertThat(kept).contains("layer_0_batch_normalization").contains("BatchNormalization");
        // only the stride-1 maxpool (layer 11) reads padding; the stride-2 ones on even sizes get no Pad node
        assertThat(edgePadded).contains("layer_11_pad").contains("edge").doesNotContain("layer_1_pad");
    }

    @Test
    void exportIsDeterministic() {
        ModelSpec spec = OnnxFixtures.edgeCaseSpec();
        List<ConvolutionalWeights> weights = OnnxFixtures.randomWeights(spec, 3);
        assertThat(OnnxExporter.withDefaults().export(spec, weights, OnnxFixtures.classNames(spec), "v"))
                .isEqualTo(OnnxExporter.withDefaults().export(spec, weights, OnnxFixtures.classNames(spec), "v"));
    }

    @Test
    void keptBatchNormalisationVariancesReproduceDarknetsDivisor() {
        float[] variances = OnnxExporter.nodeVariances(new float[] {4, 0, 1e-3f});
        float epsilon = OnnxExporter.BATCH_NORMALIZATION_NODE_EPSILON;
        assertThat(Math.sqrt(variances[0] + epsilon)).isCloseTo(2 + 1e-6, within(1e-7));
        assertThat(Math.sqrt(variances[1] + epsilon)).isCloseTo(1e-6, within(1e-12));
        assertThat(Math.sqrt(variances[2] + epsilon)).isCloseTo(Math.sqrt(1e-3) + 1e-6, within(1e-9));
        assertThat(variances[1]).isPositive();
    }

    @Test
    void rejectsWeightsForAnotherSpec() {
        ModelSpec spec = OnnxFixtures.tinyLayoutSpec();
        List<ConvolutionalWeights> weights = OnnxFixtures.randomWeights(spec, 1);
        List<String> classNames = OnnxFixtures.classNames(spec);
        assertThatThrownBy(() -> OnnxExporter.withDefaults().export(spec, weights.subList(0, 7), classNames, "v"))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_WEIGHTS))
                .hasMessageContaining("8 convolutional layers, got weights for 7");
    }

    @Test
    void rejectsLayerWeightsOfTheWrongSizeOrWithNegativeVariance() {
        ModelSpec spec = OnnxFixtures.tinyLayoutSpec();
        List<ConvolutionalWeights> weights = new ArrayList<>(OnnxFixtures.randomWeights(spec, 1));
        List<String> classNames = OnnxFixtures.classNames(spec);
        ConvolutionalWeights first = weights.get(0);
        weights.set(0, ConvolutionalWeights.withBatchNormalization(first.biases(), first.scales(), first.rollingMean(),
                first.rollingVariance(), new float[first.weightCount() - 8]));
        assertThatThrownBy(() -> OnnxExporter.withDefaults().export(spec, weights, classNames, "v"))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_WEIGHTS))
                .hasMessageContaining("layer 0");
        float[] variances = first.rollingVariance();
        variances[3] = -1;
        weights.set(0, ConvolutionalWeights.withBatchNormalization(first.biases(), first.scales(), first.rollingMean(), variances,
                first.weights()));
        assertThatThrownBy(() -> OnnxExporter.withDefaults().export(spec, weights, classNames, "v"))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_WEIGHTS))
                .hasMessageContaining("rolling variance of filter 3 is -1.0");
    }

    @Test
    void rejectsClassNamesThatDoNotFitTheRegionLayer() {
        ModelSpec spec = OnnxFixtures.tinyLayoutSpec();
        List<ConvolutionalWeights> weights = OnnxFixtures.randomWeights(spec, 1);
        assertThatThrownBy(() -> OnnxExporter.withDefaults().export(spec, weights, List.of("a", "b"), "v"))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_MODEL_SPEC))
                .hasMessageContaining("3 classes, got 2 class names");
        assertThatThrownBy(() -> OnnxExporter.withDefaults().export(spec, weights, List.of("a", "b,c", "d"), "v"))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_MODEL_SPEC))
                .hasMessageContaining("b,c");
    }

    @Test
    void rejectsInputThatIsNotRgb() {
        RegionLayer region = new RegionLayer(List.of(new Anchor(1, 1)), 1, 4, true, 0.2, true, 5, 1, 1, 1, true, 0.6, true, true);
        ModelSpec grey = new ModelSpec(32, 32, 1, ResizeMode.RESIZE, NetOptions.DARKNET_DEFAULTS,
                List.of(new ConvolutionalLayer(region.outputChannels(), 1, 1, true, false, Activation.LINEAR), region));
        assertThatThrownBy(() -> OnnxExporter.withDefaults().export(grey, OnnxFixtures.randomWeights(grey, 1), List.of("a"), "v"))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_MODEL_SPEC))
                .hasMessageContaining("1 channels");
    }

    private static float[] addToVariances(float[] variances, float epsilon) {
        float[] shifted = variances.clone();
        for (int index = 0; index < shifted.length; index++) {
            shifted[index] += epsilon;
        }
        return shifted;
    }

    private static String text(byte[] model) {
        return new String(model, StandardCharsets.ISO_8859_1);
    }

    static double maximumAbsoluteDifference(float[] expected, float[] actual) {
        assertThat(actual).hasSameSizeAs(expected);
        double maximum = 0;
        for (int index = 0; index < expected.length; index++) {
            maximum = Math.max(maximum, Math.abs((double) expected[index] - actual[index]));
        }
        return maximum;
    }

    private static double maximumAbsoluteValue(float[] values) {
        double maximum = 0;
        for (float value : values) {
            maximum = Math.max(maximum, Math.abs(value));
        }
        return maximum;
    }
}

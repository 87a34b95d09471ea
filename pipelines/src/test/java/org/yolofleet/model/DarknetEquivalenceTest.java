package org.yolofleet.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.model.Activation;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.NetOptions;
import org.yolofleet.core.model.ResizeMode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DL4J network computes what Darknet computes: every layer's output equals {@link DarknetReference}'s (Darknet's C
 * in plain Java) within 1e-4, with DL4J's oneDNN helpers on (the fast configuration) and off (DL4J's default).
 */
class DarknetEquivalenceTest {
    private static final double TOLERANCE = 1e-4;
    private static final int IMAGES = 2;

    @Test
    void miniatureTinyYoloMatchesDarknetWithHelpers() {
        ModelSpec spec = ModelFixtures.miniature(3);
        assertMatchesDarknet(spec, TinyYoloGraphBuilder.forSpec(spec).build(), true);
    }

    @Test
    void miniatureTinyYoloMatchesDarknetWithoutHelpers() {
        ModelSpec spec = ModelFixtures.miniature(3);
        assertMatchesDarknet(spec, Helpers.withoutHelpers(spec), false);
    }

    @Test
    void unusualLayersMatchDarknetWithHelpers() {
        ModelSpec spec = ModelFixtures.unusual(2);
        assertMatchesDarknet(spec, TinyYoloGraphBuilder.forSpec(spec).build(), true);
    }

    @Test
    void unusualLayersMatchDarknetWithoutHelpers() {
        ModelSpec spec = ModelFixtures.unusual(2);
        assertMatchesDarknet(spec, Helpers.withoutHelpers(spec), false);
    }

    /**
     * Darknet's {@code (x - mean) / (sqrt(variance) + 1e-6)} with zero, subnormal and tiny variances (outputs up to
     * ~1e6): DL4J's batch-norm output equals Darknet's normalisation of DL4J's own convolution output within float32
     * precision (the convolution's own rounding, amplified a million times by such variances, is not the point here).
     */
    @Test
    void batchNormalizationMatchesDarknetForZeroAndTinyVariances() {
        ModelSpec spec = new ModelSpec(32, 32, 3, ResizeMode.RESIZE, NetOptions.DARKNET_DEFAULTS, List.of(
                new ConvolutionalLayer(12, 1, 1, true, true, Activation.LINEAR),
                new ConvolutionalLayer(ModelFixtures.region(1).outputChannels(), 1, 1, true, false, Activation.LINEAR),
                ModelFixtures.region(1)));
        DarknetWeights weights = ModelFixtures.randomWeights(spec, 3, ModelFixtures.Variances.EXTREME);
        ConvolutionalWeights layer = weights.layers().get(0);
        assertThat(layer.rollingVariance()).contains(0f);
        assertThat(subnormalCount(layer.rollingVariance())).isPositive();
        for (boolean helpers : new boolean[] {true, false}) {
            ComputationGraph network = helpers ? TinyYoloGraphBuilder.forSpec(spec).build() : Helpers.withoutHelpers(spec);
            DarknetWeightsImporter.importAll(weights, spec, network);
            float[] images = ModelFixtures.randomImages(spec, 1, 5);
            Map<String, INDArray> activations = network.feedForward(Nd4j.create(images, new long[] {1, 3, 32, 32}, 'c'), false);
            float[] convolution = Helpers.image(activations.get(TinyYoloGraphBuilder.convolutionName(0)), 0);
            float[] normalized = Helpers.image(activations.get(TinyYoloGraphBuilder.batchNormalizationName(0)), 0);
            double[] expected = new double[convolution.length];
            int plane = 32 * 32;
            for (int index = 0; index < expected.length; index++) {
                int filter = index / plane;
                expected[index] = (convolution[index] - layer.rollingMean()[filter])
                        / (Math.sqrt(layer.rollingVariance()[filter]) + 0.000001) * layer.scales()[filter] + layer.biases()[filter];
            }
            assertThat(Helpers.maxRelativeDifference(normalized, expected)).as("helpers %s", helpers).isLessThan(1e-6);
        }
    }

    private static int subnormalCount(float[] values) {
        int count = 0;
        for (float value : values) {
            count += value > 0 && value < Float.MIN_NORMAL ? 1 : 0;
        }
        return count;
    }

    private static void assertMatchesDarknet(ModelSpec spec, ComputationGraph network, boolean helpers) {
        assertThat(network.getLayer(TinyYoloGraphBuilder.convolutionName(0)).getHelper() != null).isEqualTo(helpers);
        DarknetWeights weights = ModelFixtures.randomWeights(spec, 7, ModelFixtures.Variances.ORDINARY);
        DarknetWeightsImporter.importAll(weights, spec, network);
        float[] images = ModelFixtures.randomImages(spec, IMAGES, 11);
        INDArray input = Nd4j.create(images, new long[] {IMAGES, spec.channels(), spec.height(), spec.width()}, 'c');
        Map<String, INDArray> activations = network.feedForward(input, false);
        int imageValues = (int) spec.inputShape().elementCount();
        int regionIndex = spec.layers().size() - 1;
        for (int image = 0; image < IMAGES; image++) {
            List<double[]> reference = DarknetReference.forward(spec, weights, images, image * imageValues);
            for (int layer = 0; layer < regionIndex; layer++) {
                String vertex = TinyYoloGraphBuilder.outputName(spec, layer);
                assertThat(Helpers.maxAbsoluteDifference(Helpers.image(activations.get(vertex), image), reference.get(layer)))
                        .as("image %d, layer %d (%s): max |DL4J - Darknet|", image, layer, vertex)
                        .isLessThanOrEqualTo(TOLERANCE);
            }
            double[] region = DarknetReference.regionActivations(spec.region(), reference.get(regionIndex - 1), spec.gridHeight(), spec.gridWidth());
            // exp(tw) of random weights reaches thousands: float32's relative precision is what can be asked there
            assertThat(Helpers.maxRelativeDifference(Helpers.image(activations.get(TinyYoloGraphBuilder.regionName(regionIndex)), image), region))
                    .as("image %d, region activations: max |DL4J - reference| / max(1, |reference|)", image)
                    .isLessThanOrEqualTo(1e-5);
        }
    }
}

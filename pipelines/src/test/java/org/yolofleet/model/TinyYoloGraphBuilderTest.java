package org.yolofleet.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.MaxPoolLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.ModelSummary;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TensorShape;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.core.detect.BoundingBox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TinyYoloGraphBuilderTest {
    @Test
    void vocConfigurationWalksTheSpec() {
        ModelSpec spec = TinyYoloV2.voc();
        ComputationGraphConfiguration configuration = TinyYoloGraphBuilder.forSpec(spec).configuration();

        assertThat(configuration.getNetworkOutputs()).containsExactly("region_15");
        assertThat(configuration.getCacheMode()).isEqualTo(CacheMode.DEVICE);
        assertThat(configuration.getTrainingWorkspaceMode()).isEqualTo(WorkspaceMode.ENABLED);
        assertThat(configuration.getInferenceWorkspaceMode()).isEqualTo(WorkspaceMode.ENABLED);
        // 8 batch-normalised leaky convolutions (3 vertices each), 6 maxpools, the head, the region layer, the input
        assertThat(configuration.getVertices()).hasSize(8 * 3 + 6 + 1 + 1);
        assertThat(layer(configuration, "conv_0", ConvolutionLayer.class).hasBias()).isFalse();
        assertThat(layer(configuration, "conv_14", ConvolutionLayer.class).hasBias()).isTrue();
        BatchNormalization batchNormalization = layer(configuration, "batchnorm_0", BatchNormalization.class);
        assertThat(batchNormalization.getEps()).isEqualTo(1e-12);
        assertThat(batchNormalization.isUseLogStd()).isFalse();
        assertThat(layer(configuration, "maxpool_11", SubsamplingLayer.class).getConvolutionMode()).isEqualTo(ConvolutionMode.Same);

        RegionLoss region = layer(configuration, "region_15", RegionOutputLayer.class).loss();
        assertThat(region.anchors()[8]).isCloseTo(16.62, within(1e-5));
        assertThat(region.anchors()[9]).isCloseTo(10.52, within(1e-5));
        assertThat(region.scales()).isEqualTo(new RegionLoss.Scales(1, 5, 1, 1, 0.6, true, true));
        assertThat(configuration.getLayerActivationTypes(InputType.convolutional(416, 416, 3)).get("maxpool_11"))
                .isEqualTo(InputType.convolutional(13, 13, 512));
    }

    @Test
    void aNewHeadStartsAtTheObjectnessPriorAndZeroElsewhere() {
        ModelSpec spec = ModelFixtures.miniature(2);
        INDArray bias = TinyYoloGraphBuilder.forSpec(spec).objectnessPrior(0.01).build()
                .getLayer(TinyYoloGraphBuilder.convolutionName(spec.layers().size() - 2)).getParam("b");
        int perAnchor = 5 + spec.classCount();
        for (int channel = 0; channel < spec.anchors().size() * perAnchor; channel++) {
            double expected = channel % perAnchor == 4 ? Math.log(0.01 / 0.99) : 0;
            assertThat(bias.getDouble(channel)).as("channel %d", channel).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void aNetworkStatesTheHeadItWasBuiltWithNotTheOneASpecNowAsksFor() {
        ModelSpec built = ModelFixtures.miniature(2);
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(built).build();
        List<Anchor> otherAnchors = built.anchors().stream().map(anchor -> new Anchor(anchor.width() * 1.5, anchor.height())).toList();
        ModelSpec now = built.withRegion(built.region().withAnchors(otherAnchors).withLoss(2, 0.5, 8, 3, !built.region().rescore()));
        assertThat(now.region()).isNotEqualTo(built.region());

        ModelSpec stated = TinyYoloGraphBuilder.withNetworkRegion(network, now);

        assertThat(stated.region()).isEqualTo(built.region());
        assertThat(TinyYoloGraphBuilder.withNetworkRegion(network, built)).isEqualTo(built);
        assertThatThrownBy(() -> TinyYoloGraphBuilder.withNetworkRegion(network, built.withClasses(3)))
                .hasMessageContaining("2 classes");
    }

    @Test
    void vocNetworkHasDarknetsParameterCount() {
        ModelSpec spec = TinyYoloV2.voc();
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();
        assertThat(network.numParams()).isEqualTo(ModelSummary.of(spec).parameterCount());
    }

    @Test
    void convolutionBatchNormAndPoolingRunOnOneDnnHelpers() {
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(ModelFixtures.miniature(2)).build();

        assertThat(helper(network, "conv_0")).isInstanceOf(MKLDNNConvHelper.class);
        assertThat(helper(network, "conv_8")).isInstanceOf(MKLDNNConvHelper.class);
        assertThat(helper(network, "batchnorm_0")).isInstanceOf(MKLDNNBatchNormHelper.class);
        assertThat(helper(network, "maxpool_1")).isInstanceOf(MKLDNNSubsamplingHelper.class);
        assertThat(helper(network, "maxpool_6")).isInstanceOf(MKLDNNSubsamplingHelper.class);
        assertThat(Nd4jRuntime.report(network).deviationsFromFast()).noneMatch(deviation -> deviation.contains("helper"));
    }

    /**
     * Darknet's maxpool pads {@code (size - 1) / 2} before and the rest after with minus infinity; on all-negative
     * inputs a zero (or any finite) padding would show at the right and bottom borders. Checked for DL4J's Same mode
     * (2x2 stride 1 and 2 on odd sizes) and the explicit-padding fallback (3x3 stride 2 on even sizes), helpers on and off.
     */
    @Test
    void maxPoolIsDarknetsOnNegativeBorders() {
        Random random = new Random(3);
        List<MaxPoolCase> cases = List.of(
                new MaxPoolCase(new MaxPoolLayer(2, 1), new TensorShape(2, 5, 5), ConvolutionMode.Same),
                new MaxPoolCase(new MaxPoolLayer(2, 1), new TensorShape(3, 13, 13), ConvolutionMode.Same),
                new MaxPoolCase(new MaxPoolLayer(2, 2), new TensorShape(2, 7, 5), ConvolutionMode.Same),
                new MaxPoolCase(new MaxPoolLayer(3, 1), new TensorShape(2, 6, 5), ConvolutionMode.Same),
                new MaxPoolCase(new MaxPoolLayer(3, 2), new TensorShape(2, 8, 10), ConvolutionMode.Truncate),
                new MaxPoolCase(new MaxPoolLayer(4, 4), new TensorShape(1, 8, 12), ConvolutionMode.Truncate));
        for (MaxPoolCase maxPoolCase : cases) {
            TensorShape input = maxPoolCase.input();
            SubsamplingLayer layer = TinyYoloGraphBuilder.maxPoolLayer(1, maxPoolCase.layer(), input);
            assertThat(layer.getConvolutionMode()).as("%s", maxPoolCase).isEqualTo(maxPoolCase.mode());
            float[] values = new float[(int) input.elementCount()];
            for (int index = 0; index < values.length; index++) {
                values[index] = -1 - random.nextFloat();
            }
            double[] asDouble = new double[values.length];
            for (int index = 0; index < values.length; index++) {
                asDouble[index] = values[index];
            }
            double[] expected = DarknetReference.maxPool(maxPoolCase.layer(), asDouble, input);
            for (boolean helpers : new boolean[] {true, false}) {
                ComputationGraph pool = poolNetwork(layer, input, helpers);
                assertThat(pool.getLayer("pool").getHelper() != null).isEqualTo(helpers);
                INDArray output = pool.outputSingle(Nd4j.create(values, new long[] {1, input.channels(), input.height(), input.width()}, 'c'));
                assertThat(output.shape()).containsExactly(1, input.channels(), maxPoolCase.layer().outputShape(input).height(),
                        maxPoolCase.layer().outputShape(input).width());
                assertThat(Helpers.maxAbsoluteDifference(Helpers.image(output, 0), expected)).as("%s, helpers %s", maxPoolCase, helpers)
                        .isZero();
            }
        }
    }

    @Test
    void maxPoolPaddedDifferentlyPerAxisIsRefused() {
        // height 31: only Same mode places the padding as Darknet; width 33: only explicit padding does
        assertThatThrownBy(() -> TinyYoloGraphBuilder.maxPoolLayer(4, new MaxPoolLayer(4, 3), new TensorShape(1, 31, 33)))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_MODEL_SPEC))
                .hasMessageContaining("layer 4");
    }

    @Test
    void unusualSpecUsesExplicitPaddingWhereSameModeDiffers() {
        ComputationGraphConfiguration configuration = TinyYoloGraphBuilder.forSpec(ModelFixtures.unusual(2)).configuration();
        SubsamplingLayer maxPool = layer(configuration, "maxpool_1", SubsamplingLayer.class);
        assertThat(maxPool.getConvolutionMode()).isEqualTo(ConvolutionMode.Truncate);
        assertThat(maxPool.getPadding()).containsExactly(1, 1);
        assertThat(configuration.getVertices()).containsKeys("batchnorm_2", "conv_3").doesNotContainKeys("activation_2", "batchnorm_3");
    }

    @Test
    void trainsOneStepOnEncodedLabels() {
        ModelSpec spec = ModelFixtures.miniature(3).withResizeMode(ResizeMode.RESIZE);
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec)
                .hyperparameters(new TrainingHyperparameters(TrainingHyperparameters.Optimizer.ADAM, 1e-3, 0.9, 5e-4, 1))
                .build();
        EncodedLabels labels = YoloLabelEncoder.forSpec(spec).encode(List.of(
                List.of(new LabelledNetworkBox(0, new BoundingBox(0.1, 0.1, 0.4, 0.5))),
                List.of(new LabelledNetworkBox(2, new BoundingBox(0.5, 0.2, 0.9, 0.9)), new LabelledNetworkBox(1, new BoundingBox(0, 0, 0.2, 0.2)))));
        INDArray images = Nd4j.create(ModelFixtures.randomImages(spec, 2, 1), new long[] {2, 3, 64, 64}, 'c');
        INDArray before = network.params().dup();

        network.fit(new MultiDataSet(images, labels.labels()));

        assertThat(network.score()).isFinite().isPositive();
        assertThat(network.params()).isNotEqualTo(before);
        assertThat(network.getConfiguration().getTrainingWorkspaceMode()).isEqualTo(WorkspaceMode.ENABLED);
    }

    /** Spark ships the configuration as JSON and checkpoints are ModelSerializer zips: both must keep the network. */
    @Test
    void configurationAndNetworkSurviveSerialization() throws Exception {
        ModelSpec spec = ModelFixtures.miniature(2);
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();
        DarknetWeightsImporter.importAll(ModelFixtures.randomWeights(spec, 4, ModelFixtures.Variances.ORDINARY), spec, network);
        INDArray images = Nd4j.create(ModelFixtures.randomImages(spec, 1, 3), new long[] {1, 3, 64, 64}, 'c');

        assertThat(ComputationGraphConfiguration.fromJson(network.getConfiguration().toJson())).isEqualTo(network.getConfiguration());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(network, bytes, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);

        assertThat(restored.outputSingle(images)).isEqualTo(network.outputSingle(images));
        assertThat(restored.getLayer("conv_0").getHelper()).isNotNull();
    }

    private static ComputationGraph poolNetwork(SubsamplingLayer layer, TensorShape input, boolean helpers) {
        Nd4jRuntime.applyFastConfiguration();
        System.setProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY, Boolean.toString(!helpers));
        try {
            ComputationGraph network = new ComputationGraph(new NeuralNetConfiguration.Builder()
                    .graphBuilder()
                    .addInputs("input")
                    .setInputTypes(InputType.convolutional(input.height(), input.width(), input.channels()))
                    .addLayer("pool", layer, "input")
                    .setOutputs("pool")
                    .build());
            network.init();
            return network;
        }
        finally {
            System.setProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY, "false");
        }
    }

    private static Object helper(ComputationGraph network, String vertex) {
        Layer layer = network.getLayer(vertex);
        return layer.getHelper();
    }

    private static <T> T layer(ComputationGraphConfiguration configuration, String vertex, Class<T> type) {
        return type.cast(((LayerVertex) configuration.getVertices().get(vertex)).getLayerConf().getLayer());
    }

    private record MaxPoolCase(MaxPoolLayer layer, TensorShape input, ConvolutionMode mode) {}
}

package org.yolofleet.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.darknet.DarknetWeightsReader;
import org.yolofleet.core.darknet.DarknetWeightsWriter;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DarknetWeightsRoundTripTest {
    @TempDir
    Path directory;

    /** Random weights (zero, subnormal and tiny variances included) → .weights → DL4J → .weights: the same bytes. */
    @Test
    void importThenExportGivesTheSameFileByteForByte() throws Exception {
        for (ModelSpec spec : List.of(ModelFixtures.miniature(3), ModelFixtures.unusual(2))) {
            DarknetWeights original = ModelFixtures.randomWeights(spec, 21, ModelFixtures.Variances.EXTREME);
            Path file = directory.resolve("original.weights");
            DarknetWeightsWriter.write(original, spec, file);
            DarknetWeights read = DarknetWeightsReader.forModel(spec).read(file);
            ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();

            DarknetWeightsImporter.importAll(read, spec, network);
            Path exported = directory.resolve("exported.weights");
            DarknetWeightsWriter.write(DarknetWeightsExporter.export(network, spec, read), spec, exported);

            assertThat(Files.readAllBytes(exported)).as("spec %s", spec.layers()).isEqualTo(Files.readAllBytes(file));
        }
    }

    @Test
    void oldHeaderWithFourByteSeenSurvivesTheRoundTrip() {
        ModelSpec spec = ModelFixtures.miniature(1);
        DarknetWeights random = ModelFixtures.randomWeights(spec, 22, ModelFixtures.Variances.ORDINARY);
        DarknetWeights original = new DarknetWeights(0, 1, 0, 32_013_312, random.layers());
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();

        DarknetWeightsImporter.importAll(original, spec, network);

        byte[] exported = DarknetWeightsWriter.toBytes(DarknetWeightsExporter.export(network, spec, original), spec);
        assertThat(exported).isEqualTo(DarknetWeightsWriter.toBytes(original, spec));
        assertThat(exported.length).isEqualTo(DarknetWeightsWriter.toBytes(random, spec).length - 4);
    }

    /** Without the imported weights, export then import reproduces the network exactly (the inverse re-encodes exactly). */
    @Test
    void exportThenImportReproducesTheNetworkExactly() {
        ModelSpec spec = ModelFixtures.miniature(3);
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();
        DarknetWeightsImporter.importAll(ModelFixtures.randomWeights(spec, 23, ModelFixtures.Variances.EXTREME), spec, network);

        DarknetWeights exported = DarknetWeightsExporter.export(network, spec, 640);
        ComputationGraph copy = TinyYoloGraphBuilder.forSpec(spec).hyperparameters(
                new TrainingHyperparameters(TrainingHyperparameters.Optimizer.ADAM, 1e-3, 0.9, 0, 99)).build();
        DarknetWeightsImporter.importAll(exported, spec, copy);

        assertThat(exported.seen()).isEqualTo(640);
        assertThat(exported.hasLongSeen()).isTrue();
        assertThat(copy.params().toFloatVector()).isEqualTo(network.params().toFloatVector());
    }

    @Test
    void transferLearningImportsTheBackboneAndKeepsTheNewHead() {
        ModelSpec pretrained = ModelFixtures.miniature(20);
        ModelSpec spec = pretrained.withClasses(3);
        DarknetWeights weights = ModelFixtures.randomWeights(pretrained, 24, ModelFixtures.Variances.ORDINARY);
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();
        INDArray headBefore = network.getLayer("conv_8").getParam("W").dup();

        DarknetWeightsImporter.importFirst(weights, 4, spec, network);

        DarknetWeights exported = DarknetWeightsExporter.export(network, spec, weights);
        assertThat(exported.layers().subList(0, 4)).isEqualTo(weights.layers().subList(0, 4));
        assertThat(network.getLayer("conv_8").getParam("W")).isEqualTo(headBefore);
        assertThat(exported.layers().get(4).filterCount()).isEqualTo(2 * (5 + 3));
        assertThatThrownBy(() -> DarknetWeightsImporter.importAll(weights, spec, network))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_WEIGHTS))
                .hasMessageContaining("expects 16 filters")
                .hasMessageContaining("got 50 filters");
    }

    @Test
    void freezingKeepsTheFirstLayersWhileTheRestTrains() {
        ModelSpec spec = ModelFixtures.miniature(3);
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();
        DarknetWeightsImporter.importAll(ModelFixtures.randomWeights(spec, 25, ModelFixtures.Variances.ORDINARY), spec, network);

        ComputationGraph frozen = FrozenLayers.freezeFirst(network, spec, 2);
        DarknetWeights before = DarknetWeightsExporter.export(frozen, spec, 0);
        EncodedLabels labels = YoloLabelEncoder.forSpec(spec).encode(List.of(List.of(new LabelledNetworkBox(1, new BoundingBox(0.2, 0.2, 0.6, 0.7)))));
        frozen.fit(new MultiDataSet(Nd4j.create(ModelFixtures.randomImages(spec, 1, 2), new long[] {1, 3, 64, 64}, 'c'), labels.labels()));
        DarknetWeights after = DarknetWeightsExporter.export(frozen, spec, 0);

        assertThat(frozen.getLayer("conv_0")).isInstanceOf(FrozenLayer.class);
        assertThat(frozen.getLayer("batchnorm_2")).isInstanceOf(FrozenLayer.class);
        assertThat(frozen.getLayer("conv_4")).isNotInstanceOf(FrozenLayer.class);
        assertThat(after.layers().subList(0, 2)).isEqualTo(before.layers().subList(0, 2));
        assertThat(after.layers().get(2)).isNotEqualTo(before.layers().get(2));
        assertThat(after.layers().get(4)).isNotEqualTo(before.layers().get(4));
        assertThat(FrozenLayers.freezeFirst(network, spec, 0)).isSameAs(network);
    }

    @Test
    void wrongLayerCountIsReportedWithExpectedAndFound() {
        ModelSpec spec = ModelFixtures.miniature(3);
        DarknetWeights weights = ModelFixtures.randomWeights(spec, 26, ModelFixtures.Variances.ORDINARY);
        List<ConvolutionalWeights> fewer = new ArrayList<>(weights.layers().subList(0, 4));
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();

        assertThatThrownBy(() -> DarknetWeightsImporter.importAll(weights.withLayers(fewer), spec, network))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_WEIGHTS))
                .hasMessageContaining("the spec has 5 convolutional layers, the weights have 4");
        assertThatThrownBy(() -> DarknetWeightsImporter.importFirst(weights.withLayers(fewer.subList(0, 2)), 3, spec, network))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_WEIGHTS))
                .hasMessageContaining("at least 3 layers, the weights have 2");
    }

    @Test
    void networkOfAnotherSpecIsRefused() {
        ModelSpec spec = ModelFixtures.miniature(3);
        ComputationGraph other = TinyYoloGraphBuilder.forSpec(ModelFixtures.unusual(3)).build();

        assertThatThrownBy(() -> DarknetWeightsImporter.importAll(ModelFixtures.randomWeights(spec, 27, ModelFixtures.Variances.ORDINARY), spec, other))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_WEIGHTS))
                .hasMessageContaining("conv_0/W has shape [6, 3, 2, 2], the spec expects [4, 3, 3, 3]");
        assertThatThrownBy(() -> DarknetWeightsExporter.export(other, spec, 0))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_WEIGHTS));
    }

    @Test
    void negativeVarianceIsBadWeights() {
        ModelSpec spec = ModelFixtures.miniature(3);
        DarknetWeights weights = ModelFixtures.randomWeights(spec, 28, ModelFixtures.Variances.ORDINARY);
        ConvolutionalWeights first = weights.layers().get(0);
        float[] variances = first.rollingVariance();
        variances[1] = -0.5f;
        List<ConvolutionalWeights> layers = new ArrayList<>(weights.layers());
        layers.set(0, ConvolutionalWeights.withBatchNormalization(first.biases(), first.scales(), first.rollingMean(), variances, first.weights()));

        assertThatThrownBy(() -> DarknetWeightsImporter.importAll(weights.withLayers(layers), spec, TinyYoloGraphBuilder.forSpec(spec).build()))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_WEIGHTS))
                .hasMessageContaining("filter 1 is -0.5");
    }
}

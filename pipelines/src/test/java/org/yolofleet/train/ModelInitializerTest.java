package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deeplearning4j.util.ModelSerializer;
import org.yolofleet.core.darknet.DarknetWeightsWriter;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.model.DarknetWeightsExporter;
import org.yolofleet.model.TinyYoloGraphBuilder;
import org.yolofleet.model.TrainingHyperparameters;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelInitializerTest {
    private static final TrainingHyperparameters HYPERPARAMETERS =
            new TrainingHyperparameters(TrainingHyperparameters.Optimizer.ADAM, 0.001, 0.9, 0.0005, 7);

    @Test
    void transferLearningKeepsTheFirstLayersOfDarknetWeightsUnderANewHead(@TempDir Path directory) {
        ModelSpec pretrainedSpec = TinyYoloV2.spec(20, TinyYoloV2.VOC_ANCHORS, 96, 96, ResizeMode.LETTERBOX);
        ComputationGraph pretrained = TinyYoloGraphBuilder.forSpec(pretrainedSpec)
                .hyperparameters(new TrainingHyperparameters(TrainingHyperparameters.Optimizer.ADAM, 0.001, 0.9, 0.0005, 12345)).build();
        Path weights = directory.resolve("pretrained.weights");
        DarknetWeightsWriter.write(DarknetWeightsExporter.export(pretrained, pretrainedSpec, 1000), pretrainedSpec, weights);

        ModelSpec spec = pretrainedSpec.withClasses(3);
        int layers = 6;
        ComputationGraph network = ModelInitializer.initialise(spec,
                new TrainConfig.Initialisation(TrainConfig.InitialisationMode.DARKNET, weights.toUri().toString(), layers, 0),
                HYPERPARAMETERS, TinyYoloGraphBuilder.DEFAULT_BATCH_NORM_DECAY, new Configuration());

        int firstConvolution = spec.layers().indexOf(spec.convolutionalLayers().get(0));
        int sixthConvolution = spec.layers().indexOf(spec.convolutionalLayers().get(layers - 1));
        int seventhConvolution = spec.layers().indexOf(spec.convolutionalLayers().get(layers));
        for (int layer : new int[] {firstConvolution, sixthConvolution}) {
            String name = TinyYoloGraphBuilder.convolutionName(layer);
            assertThat(network.getLayer(name).getParam("W")).isEqualTo(pretrained.getLayer(name).getParam("W"));
        }
        String seventh = TinyYoloGraphBuilder.convolutionName(seventhConvolution);
        assertThat(network.getLayer(seventh).getParam("W")).isNotEqualTo(pretrained.getLayer(seventh).getParam("W"));
        String head = TinyYoloGraphBuilder.convolutionName(spec.layers().size() - 2);
        assertThat(network.getLayer(head).getParam("W").size(0)).isEqualTo(spec.region().outputChannels());
    }

    @Test
    void aWarmStartKeepsTheCheckpointsWeightsAndRefusesOneWithOtherClasses(@TempDir Path directory) throws Exception {
        ModelSpec spec = TinyYoloV2.spec(3, TinyYoloV2.VOC_ANCHORS, 96, 96, ResizeMode.LETTERBOX);
        ComputationGraph previous = TinyYoloGraphBuilder.forSpec(spec).hyperparameters(HYPERPARAMETERS).build();
        Path zip = directory.resolve("model.zip");
        ModelSerializer.writeModel(previous, zip.toFile(), true);
        TrainConfig.Initialisation warmStart = new TrainConfig.Initialisation(TrainConfig.InitialisationMode.CHECKPOINT, zip.toUri().toString(), 0, 0);

        ComputationGraph network = ModelInitializer.initialise(spec, warmStart, HYPERPARAMETERS, TinyYoloGraphBuilder.DEFAULT_BATCH_NORM_DECAY,
                new Configuration());
        assertThat(network.params()).isEqualTo(previous.params());

        ModelSpec moreClasses = spec.withClasses(5);
        assertThatThrownBy(() -> ModelInitializer.initialise(moreClasses, warmStart, HYPERPARAMETERS, TinyYoloGraphBuilder.DEFAULT_BATCH_NORM_DECAY,
                new Configuration()))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.BAD_WEIGHTS))
                .hasMessageContaining("40 region channels")
                .hasMessageContaining("5 classes");
    }
}

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
import java.util.List;
import java.util.Optional;

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

    @Test
    void theNextRunStartsFromTheBestCheckpointTheLatestCompleteRunNames(@TempDir Path directory) throws Exception {
        ModelSpec spec = TinyYoloV2.spec(3, TinyYoloV2.VOC_ANCHORS, 96, 96, ResizeMode.LETTERBOX);
        ComputationGraph best = TinyYoloGraphBuilder.forSpec(spec).hyperparameters(HYPERPARAMETERS).build();
        Path zip = directory.resolve("night-1/checkpoints/epoch-004/model.zip");
        java.nio.file.Files.createDirectories(zip.getParent());
        ModelSerializer.writeModel(best, zip.toFile(), true);
        CompletedRun latest = new CompletedRun("night-1", directory.resolve("night-1").toUri().toString(), zip.toUri().toString(), 4, 0.5, 6,
                List.of("red", "green", "blue"), "2026-12-01T05:00:00Z", "");
        TrainConfig.Initialisation previous = new TrainConfig.Initialisation(TrainConfig.InitialisationMode.PREVIOUS, "", 0, 2,
                TrainConfig.IfNoPrevious.FAIL);

        TrainConfig.Initialisation resolved = ModelInitializer.resolvePrevious(previous, Optional.of(latest), "file:/runs", List.of("red", "green", "blue"));
        assertThat(resolved).isEqualTo(new TrainConfig.Initialisation(TrainConfig.InitialisationMode.CHECKPOINT, zip.toUri().toString(), 0, 2,
                TrainConfig.IfNoPrevious.FAIL));
        ComputationGraph network = ModelInitializer.initialise(spec, resolved, new TrainingHyperparameters(TrainingHyperparameters.Optimizer.ADAM,
                0.001, 0.9, 0.0005, 99), TinyYoloGraphBuilder.DEFAULT_BATCH_NORM_DECAY, new Configuration());
        assertThat(network.params()).isEqualTo(best.params());

        assertThatThrownBy(() -> ModelInitializer.resolvePrevious(previous, Optional.of(latest), "file:/runs", List.of("red", "green", "yellow")))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("night-1, trained on classes [red, green, blue]")
                .hasMessageContaining("yolofleet.classes = [red, green, yellow]");
    }

    @Test
    void withoutACompleteRunThePreviousModeFailsOrStartsFromScratchAsConfigured() {
        TrainConfig.Initialisation failing = new TrainConfig.Initialisation(TrainConfig.InitialisationMode.PREVIOUS, "", 0, 0,
                TrainConfig.IfNoPrevious.FAIL);
        assertThatThrownBy(() -> ModelInitializer.resolvePrevious(failing, Optional.empty(), "s3a://bucket/runs", List.of("red")))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("s3a://bucket/runs has no complete run yet (no latest.json)")
                .hasMessageContaining("yolofleet.train.init.if-no-previous = scratch");
        TrainConfig.Initialisation scratch = new TrainConfig.Initialisation(TrainConfig.InitialisationMode.PREVIOUS, "", 0, 0,
                TrainConfig.IfNoPrevious.SCRATCH);
        assertThat(ModelInitializer.resolvePrevious(scratch, Optional.empty(), "s3a://bucket/runs", List.of("red")).mode())
                .isEqualTo(TrainConfig.InitialisationMode.SCRATCH);
        TrainConfig.Initialisation darknet = new TrainConfig.Initialisation(TrainConfig.InitialisationMode.DARKNET, "file:/w.weights", 13, 0);
        assertThat(ModelInitializer.resolvePrevious(darknet, Optional.empty(), "", List.of("red"))).isSameAs(darknet);
    }
}

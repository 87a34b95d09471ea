package org.yolofleet.detect;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.darknet.DarknetCfgWriter;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.darknet.DarknetWeightsWriter;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.ImagePreprocessor;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.model.ClassNames;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.model.DarknetWeightsImporter;
import org.yolofleet.model.ModelCheckpoint;
import org.yolofleet.model.TinyYoloGraphBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The three model files {@code detect} takes, made from one set of Darknet weights, load into the runtime their
 * extension calls for and compute the same raw output on a real photo.
 */
class ModelLoaderTest {
    private static final ModelSpec SPEC = DetectFixtures.smallTinyYolo(DetectFixtures.BCCD_CLASSES.size());
    private static final DarknetWeights WEIGHTS = DetectFixtures.randomWeights(SPEC, 5);

    @TempDir
    static Path directory;

    private static Path onnx;
    private static float[] input;
    private static float[] onnxOutput;

    @BeforeAll
    static void exportAndRunOnnx() throws IOException {
        onnx = directory.resolve("small.onnx");
        Files.write(onnx, OnnxExporter.withDefaults().export(SPEC, WEIGHTS.layers(), DetectFixtures.BCCD_CLASSES, "test"));
        byte[] photo = Files.readAllBytes(DetectFixtures.bccdImages().get(0));
        input = ImagePreprocessor.forSpec(SPEC).preprocess(new ImageDecoder(DetectRequest.DEFAULT_MAX_IMAGE_PIXELS).decode(photo).image()).pixels();
        try (Detector detector = ModelLoader.load(ModelSource.of(onnx))) {
            assertThat(detector).isInstanceOf(OnnxRuntimeDetector.class);
            assertThat(detector.model().runtime()).isEqualTo(InferenceRuntime.ONNX_RUNTIME);
            assertThat(detector.model().classNames()).isEqualTo(DetectFixtures.BCCD_CLASSES);
            assertThat(detector.model().gridWidth()).isEqualTo(7);
            onnxOutput = detector.rawOutput(input);
        }
    }

    @Test
    void checkpointCarriesItsSpecAndClassesAndRunsInDl4j() {
        Path checkpoint = directory.resolve("model.zip");
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(SPEC).build();
        DarknetWeightsImporter.importAll(WEIGHTS, SPEC, network);
        float[] beforeSaving = new Dl4jDetector(network, SPEC, DetectFixtures.BCCD_CLASSES, "memory").rawOutput(input);

        ModelCheckpoint.write(network, SPEC, DetectFixtures.BCCD_CLASSES, checkpoint, false);

        assertThat(ModelCheckpoint.hasSpec(checkpoint)).isTrue();
        try (Detector detector = ModelLoader.load(ModelSource.of(checkpoint))) {
            assertThat(detector).isInstanceOf(Dl4jDetector.class);
            assertThat(((Dl4jDetector) detector).spec()).isEqualTo(SPEC);
            assertThat(detector.model().classNames()).isEqualTo(DetectFixtures.BCCD_CLASSES);
            float[] output = detector.rawOutput(input);
            assertThat(output).containsExactly(beforeSaving);
            assertCloseToOnnx(output);
        }
    }

    @Test
    void darknetCfgAndWeightsRunInDl4j() {
        Path cfg = directory.resolve("small.cfg");
        Path weights = directory.resolve("small.weights");
        DarknetCfgWriter.write(SPEC, cfg);
        DarknetWeightsWriter.write(WEIGHTS, SPEC, weights);

        try (Detector detector = ModelLoader.load(new ModelSource(cfg, Optional.of(weights), Optional.of(DetectFixtures.BCCD_CLASSES)))) {
            assertThat(detector).isInstanceOf(Dl4jDetector.class);
            assertThat(detector.model().runtime()).isEqualTo(InferenceRuntime.DL4J);
            assertCloseToOnnx(detector.rawOutput(input));
        }
    }

    @Test
    void darknetCfgWithoutNamesGetsPlaceholderNames() {
        Path cfg = directory.resolve("unnamed.cfg");
        Path weights = directory.resolve("unnamed.weights");
        DarknetCfgWriter.write(SPEC, cfg);
        DarknetWeightsWriter.write(WEIGHTS, SPEC, weights);

        try (Detector detector = ModelLoader.load(new ModelSource(cfg, Optional.of(weights), Optional.empty()))) {
            assertThat(detector.model().classNames()).containsExactly("class_0", "class_1", "class_2");
        }
    }

    @Test
    void namesReplaceTheOnnxMetadataNames() {
        try (Detector detector = ModelLoader.load(new ModelSource(onnx, Optional.empty(), Optional.of(List.of("white", "red", "platelet"))))) {
            assertThat(detector.model().classNames()).containsExactly("white", "red", "platelet");
        }
        assertThatThrownBy(() -> ModelLoader.load(new ModelSource(onnx, Optional.empty(), Optional.of(List.of("one", "two")))))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("has 3 classes (WBC,RBC,Platelets), got 2 class names");
    }

    @Test
    void wrongCombinationsFailBeforeLoading() throws IOException {
        Path cfg = directory.resolve("lonely.cfg");
        DarknetCfgWriter.write(SPEC, cfg);
        Path weights = directory.resolve("stray.weights");
        Files.write(weights, new byte[16]);
        Path unknown = directory.resolve("model.h5");
        Files.write(unknown, new byte[16]);

        assertCode(() -> ModelLoader.load(ModelSource.of(cfg)), ErrorCode.CONFIG, "a Darknet cfg needs its weights: --weights");
        assertCode(() -> ModelLoader.load(new ModelSource(onnx, Optional.of(weights), Optional.empty())), ErrorCode.CONFIG,
                "only goes with a Darknet cfg");
        assertCode(() -> ModelLoader.load(ModelSource.of(unknown)), ErrorCode.CONFIG, "expected an ONNX export (*.onnx)");
        assertCode(() -> ModelLoader.load(ModelSource.of(directory.resolve("missing.onnx"))), ErrorCode.NOT_FOUND, "model file not found");
    }

    @Test
    void zipWithoutOurEntriesIsNotACheckpoint() throws IOException {
        Path plain = directory.resolve("plain-dl4j.zip");
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(SPEC).build();
        ModelSerializer.writeModel(network, plain.toFile(), false);

        assertThat(ModelCheckpoint.hasSpec(plain)).isFalse();
        assertCode(() -> ModelLoader.load(ModelSource.of(plain)), ErrorCode.BAD_MODEL_SPEC, "has no yolofleet-model.cfg entry");
    }

    @Test
    void classNamesComeFromAFileOrAList() throws IOException {
        Path names = directory.resolve("bccd.names");
        Files.writeString(names, "WBC\nRBC\n\nPlatelets\n");

        assertThat(ClassNames.parse(names.toString())).containsExactly("WBC", "RBC", "Platelets");
        assertThat(ClassNames.parse("cat, dog,bird")).containsExactly("cat", "dog", "bird");
        assertCode(() -> ClassNames.parse("cat,dog,cat"), ErrorCode.CONFIG, "'cat' appears twice");
        assertCode(() -> ClassNames.parse(directory.resolve("missing.names").toString()), ErrorCode.NOT_FOUND, "class names file not found");
    }

    private static void assertCloseToOnnx(float[] output) {
        assertThat(output).hasSameSizeAs(onnxOutput);
        for (int index = 0; index < output.length; index++) {
            assertThat(output[index]).as("value %d", index).isCloseTo(onnxOutput[index], within(1e-4f));
        }
    }

    private static void assertCode(Runnable action, ErrorCode code, String message) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(code))
                .hasMessageContaining(message);
    }
}

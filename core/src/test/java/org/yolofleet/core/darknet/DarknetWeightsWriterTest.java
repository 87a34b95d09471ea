package org.yolofleet.core.darknet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DarknetWeightsWriterTest {
    private static final ModelSpec SPEC = WeightsFixtures.smallSpec();

    @Test
    void writesTheHeaderLittleEndianWithAnEightByteSeen() {
        byte[] bytes = DarknetWeightsWriter.toBytes(new DarknetWeights(0, 2, 5, 0x0102030405060708L, WeightsFixtures.randomLayers(SPEC, 1)), SPEC);

        assertThat(Arrays.copyOf(bytes, 20)).containsExactly(0, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(bytes).hasSize(20 + 4 * (int) WeightsFixtures.SMALL_SPEC_VALUES);
    }

    @Test
    void writesTheHeaderWithAFourByteSeenForOldVersions() {
        byte[] bytes = DarknetWeightsWriter.toBytes(new DarknetWeights(0, 1, 0, 0x01020304, WeightsFixtures.randomLayers(SPEC, 1)), SPEC);

        assertThat(Arrays.copyOf(bytes, 16)).containsExactly(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 4, 3, 2, 1);
        assertThat(bytes).hasSize(16 + 4 * (int) WeightsFixtures.SMALL_SPEC_VALUES);
    }

    @Test
    void writesEachLayerAsBiasesScalesMeansVariancesThenWeights() {
        List<ConvolutionalWeights> layers = new ArrayList<>();
        layers.add(ConvolutionalWeights.withBatchNormalization(WeightsFixtures.filled(4, 1), WeightsFixtures.filled(4, 2),
                WeightsFixtures.filled(4, 3), WeightsFixtures.filled(4, 4), WeightsFixtures.filled(108, 5)));
        layers.addAll(WeightsFixtures.randomLayers(SPEC, 2).subList(1, 3));

        byte[] bytes = DarknetWeightsWriter.toBytes(DarknetWeights.of(0, layers), SPEC);

        FloatBuffer floats = ByteBuffer.wrap(bytes, 20, bytes.length - 20).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] firstLayer = new float[124];
        floats.get(firstLayer);
        float[] expected = new float[124];
        Arrays.fill(expected, 0, 4, 1);
        Arrays.fill(expected, 4, 8, 2);
        Arrays.fill(expected, 8, 12, 3);
        Arrays.fill(expected, 12, 16, 4);
        Arrays.fill(expected, 16, 124, 5);
        assertThat(firstLayer).containsExactly(expected);
        assertThat(floats.get()).isEqualTo(layers.get(1).biases()[0]);
    }

    @Test
    void writesAFile(@TempDir Path directory) throws Exception {
        DarknetWeights weights = DarknetWeights.of(64_000, WeightsFixtures.randomLayers(SPEC, 3));
        Path file = directory.resolve("small.weights");

        DarknetWeightsWriter.write(weights, SPEC, file);

        assertThat(Files.readAllBytes(file)).isEqualTo(DarknetWeightsWriter.toBytes(weights, SPEC));
    }

    @Test
    void rejectsWeightsWithAnotherLayerCount() {
        DarknetWeights twoLayers = DarknetWeights.of(0, WeightsFixtures.randomLayers(SPEC, 4).subList(0, 2));

        assertThatThrownBy(() -> DarknetWeightsWriter.toBytes(twoLayers, SPEC))
                .isInstanceOf(YoloFleetException.class)
                .satisfies(e -> assertThat(((YoloFleetException) e).code()).isEqualTo(ErrorCode.BAD_WEIGHTS))
                .hasMessageContaining("the spec has 3 convolutional layers, the weights have 2");
    }

    @Test
    void rejectsWeightsOfAnotherHead() {
        DarknetWeights threeClasses = DarknetWeights.of(0, WeightsFixtures.randomLayers(SPEC.withClasses(3), 5));

        assertThatThrownBy(() -> DarknetWeightsWriter.toBytes(threeClasses, SPEC))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("layer 7 (convolutional 3 of 3: 6 filters 1x1 over 8 channels, no batch norm)")
                .hasMessageContaining("got 8 filters");
    }
}

package org.yolofleet.core.darknet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.TinyYoloV2;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DarknetWeightsReaderTest {
    private static final ModelSpec SPEC = WeightsFixtures.smallSpec();
    private static final int LONG_SEEN_FILE_BYTES = 20 + 4 * (int) WeightsFixtures.SMALL_SPEC_VALUES;

    private static DarknetWeights read(ModelSpec spec, byte[] bytes) {
        return DarknetWeightsReader.forModel(spec).read(new ByteArrayInputStream(bytes), "test.weights");
    }

    private static YoloFleetException badWeights(Runnable action) {
        try {
            action.run();
        }
        catch (YoloFleetException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_WEIGHTS);
            return e;
        }
        throw new AssertionError("expected a BAD_WEIGHTS failure");
    }

    @Test
    void roundTripIsByteExactWithAnEightByteSeen() {
        DarknetWeights weights = new DarknetWeights(0, 2, 0, 5_000_000_000L, WeightsFixtures.randomLayers(SPEC, 11));
        byte[] written = DarknetWeightsWriter.toBytes(weights, SPEC);

        DarknetWeights read = read(SPEC, written);

        assertThat(read).isEqualTo(weights);
        assertThat(DarknetWeightsWriter.toBytes(read, SPEC)).isEqualTo(written);
    }

    @Test
    void roundTripIsByteExactWithAFourByteSeen() {
        for (DarknetWeights weights : new DarknetWeights[] {
                new DarknetWeights(0, 1, 0, 123_456, WeightsFixtures.randomLayers(SPEC, 12)),
                new DarknetWeights(1000, 1000, 3, 7, WeightsFixtures.randomLayers(SPEC, 13))}) {
            byte[] written = DarknetWeightsWriter.toBytes(weights, SPEC);

            DarknetWeights read = read(SPEC, written);

            assertThat(read).isEqualTo(weights);
            assertThat(read.headerByteCount()).isEqualTo(16);
            assertThat(DarknetWeightsWriter.toBytes(read, SPEC)).isEqualTo(written);
        }
    }

    @Test
    void keepsSpecialFloatValuesBitForBit() {
        DarknetWeights random = DarknetWeights.of(1, WeightsFixtures.randomLayers(SPEC, 14));
        float[] weights = random.layers().get(2).weights();
        weights[0] = Float.NaN;
        weights[1] = Float.NEGATIVE_INFINITY;
        weights[2] = -0.0f;
        weights[3] = Float.MIN_VALUE;
        ConvolutionalWeights head = ConvolutionalWeights.withoutBatchNormalization(random.layers().get(2).biases(), weights);
        DarknetWeights special = random.withLayers(List.of(random.layers().get(0), random.layers().get(1), head));
        byte[] written = DarknetWeightsWriter.toBytes(special, SPEC);

        assertThat(DarknetWeightsWriter.toBytes(read(SPEC, written), SPEC)).isEqualTo(written);
        assertThat(Float.floatToRawIntBits(read(SPEC, written).layers().get(2).weights()[2])).isEqualTo(Float.floatToRawIntBits(-0.0f));
    }

    @Test
    void readsAHandWrittenLittleEndianFile() {
        ByteBuffer file = ByteBuffer.allocate(LONG_SEEN_FILE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        file.putInt(0).putInt(2).putInt(0).putLong(640);
        for (int value = 0; value < WeightsFixtures.SMALL_SPEC_VALUES; value++) {
            file.putFloat(value);
        }

        DarknetWeights weights = read(SPEC, file.array());

        assertThat(weights.seen()).isEqualTo(640);
        ConvolutionalWeights first = weights.layers().get(0);
        assertThat(first.biases()).containsExactly(0, 1, 2, 3);
        assertThat(first.scales()).containsExactly(4, 5, 6, 7);
        assertThat(first.rollingMean()).containsExactly(8, 9, 10, 11);
        assertThat(first.rollingVariance()).containsExactly(12, 13, 14, 15);
        assertThat(first.weights()[0]).isEqualTo(16);
        assertThat(first.weights()[107]).isEqualTo(123);
        assertThat(weights.layers().get(1).biases()[0]).isEqualTo(124);
        ConvolutionalWeights head = weights.layers().get(2);
        assertThat(head.hasBatchNormalization()).isFalse();
        assertThat(head.biases()).containsExactly(444, 445, 446, 447, 448, 449);
        assertThat(head.weights()[47]).isEqualTo(497);
    }

    @Test
    void truncatedFileNamesTheLayerAndTheExpectedAndFoundSizes() {
        byte[] written = DarknetWeightsWriter.toBytes(DarknetWeights.of(0, WeightsFixtures.randomLayers(SPEC, 15)), SPEC);
        byte[] truncated = Arrays.copyOf(written, written.length - 10);

        YoloFleetException error = badWeights(() -> read(SPEC, truncated));

        assertThat(error).hasMessage("[BAD_WEIGHTS] test.weights: truncated in layer 7 (convolutional 3 of 3: 6 filters 1x1 over 8 channels,"
                + " no batch norm): expected 216 bytes for this layer, found 206; the file ends after 2,002 bytes where this cfg needs"
                + " 2,012 (wrong layer count, or the weights belong to another cfg)");
    }

    @Test
    void truncatedHeaderIsReported() {
        assertThat(badWeights(() -> read(SPEC, new byte[7]))).hasMessageContaining("the header needs at least 16 bytes, found 7");
        byte[] versionOnly = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(2).putInt(0).putInt(0).array();
        assertThat(badWeights(() -> read(SPEC, versionOnly))).hasMessageContaining("version 0.2.0 has a 20-byte header, found 16 bytes");
    }

    @Test
    void trailingBytesMeanAnotherCfg() {
        byte[] written = DarknetWeightsWriter.toBytes(DarknetWeights.of(0, WeightsFixtures.randomLayers(SPEC, 16)), SPEC);
        byte[] longer = Arrays.copyOf(written, written.length + 4);

        assertThat(badWeights(() -> read(SPEC, longer))).hasMessage("[BAD_WEIGHTS] test.weights: 4 bytes follow the last of 3 convolutional"
                + " layers: expected a file of 2,012 bytes for this cfg, found 2,016; the weights belong to another cfg (layer count,"
                + " filters, classes or anchors differ)");
    }

    @Test
    void weightsOfAnotherClassCountDoNotFit() {
        byte[] oneClass = DarknetWeightsWriter.toBytes(DarknetWeights.of(0, WeightsFixtures.randomLayers(SPEC, 17)), SPEC);
        ModelSpec threeClasses = SPEC.withClasses(3);
        byte[] threeClassWeights = DarknetWeightsWriter.toBytes(DarknetWeights.of(0, WeightsFixtures.randomLayers(threeClasses, 18)), threeClasses);

        assertThat(badWeights(() -> read(threeClasses, oneClass))).hasMessageContaining("truncated in layer 7");
        assertThat(badWeights(() -> read(SPEC, threeClassWeights))).hasMessageContaining("72 bytes follow the last of 3 convolutional layers");
    }

    @Test
    void firstLayersReadsTheBackboneAndIgnoresTheRestForTransferLearning() {
        DarknetWeights oneClass = DarknetWeights.of(99, WeightsFixtures.randomLayers(SPEC, 19));
        byte[] written = DarknetWeightsWriter.toBytes(oneClass, SPEC);

        DarknetWeights backbone = DarknetWeightsReader.forModel(SPEC.withClasses(3)).firstLayers(2)
                .read(new ByteArrayInputStream(written), "test.weights");

        assertThat(backbone.layers()).isEqualTo(oneClass.layers().subList(0, 2));
        assertThat(backbone.seen()).isEqualTo(99);
    }

    @Test
    void firstLayersStillReportsATruncatedBackbone() {
        byte[] written = DarknetWeightsWriter.toBytes(DarknetWeights.of(0, WeightsFixtures.randomLayers(SPEC, 20)), SPEC);
        byte[] truncated = Arrays.copyOf(written, 20 + 124 * 4 + 100);

        assertThat(badWeights(() -> DarknetWeightsReader.forModel(SPEC).firstLayers(2).read(new ByteArrayInputStream(truncated), "x")))
                .hasMessageContaining("truncated in layer 2 (convolutional 2 of 3")
                .hasMessageContaining("expected 1,280 bytes for this layer, found 100")
                .hasMessageContaining("where the first 2 convolutional layers of this cfg need 1,796");
        assertThatThrownBy(() -> DarknetWeightsReader.forModel(SPEC).firstLayers(4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeHeaderValuesAreNotDarknetWeights() {
        byte[] bytes = Arrays.copyOf(DarknetWeightsWriter.toBytes(DarknetWeights.of(0, WeightsFixtures.randomLayers(SPEC, 21)), SPEC),
                LONG_SEEN_FILE_BYTES);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(12, -5);

        assertThat(badWeights(() -> read(SPEC, bytes))).hasMessageContaining("negative values");
    }

    @Test
    void aMissingFileIsNotFound(@TempDir Path directory) {
        assertThatThrownBy(() -> DarknetWeightsReader.forModel(SPEC).read(directory.resolve("missing.weights")))
                .isInstanceOf(YoloFleetException.class)
                .satisfies(e -> assertThat(((YoloFleetException) e).code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("weights file not found");
    }

    @Test
    void fullSizeTinyYoloVocFileRoundTripsThroughTheFileSystem(@TempDir Path directory) throws Exception {
        ModelSpec voc = TinyYoloV2.voc();
        DarknetWeights weights = new DarknetWeights(0, 1, 0, 32_013_312, WeightsFixtures.randomLayers(voc, 22));
        Path file = directory.resolve("yolov2-tiny-voc.weights");

        DarknetWeightsWriter.write(weights, voc, file);
        DarknetWeights read = DarknetWeightsReader.forModel(voc).read(file);

        assertThat(Files.size(file)).isEqualTo(63_471_556L);
        assertThat(read).isEqualTo(weights);
        assertThat(badWeights(() -> DarknetWeightsReader.forModel(voc.withClasses(3)).read(file)))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("bytes follow the last of 9 convolutional layers");
    }
}

package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.spark.SerializableHadoopConfiguration;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardBatchTest {
    @Test
    void pathRoundTrips() {
        ShardBatch batch = new ShardBatch("s3a://bucket/shards/train/shard-00000.tar", 1024, 8192, 3);
        assertThat(ShardBatch.parse(batch.path())).isEqualTo(batch);
    }

    @Test
    void indexCutsShardsIntoBatchesAndTheLoaderReadsEachByteRange(@TempDir Path directory) throws Exception {
        TrainFixtures.writeShards(directory, 10, 2, 10);
        String shard = directory.resolve("shards/train/shard-00000.tar").toUri().toString();
        ShardIndex index = ShardIndex.read(shard, new Configuration(), 4, 96, 96, 3);

        assertThat(index.samples()).isEqualTo(10);
        assertThat(index.batches()).extracting(ShardBatch::samples).containsExactly(4, 4, 2);
        assertThat(index.labelCounts().objects()).isEqualTo(index.labelCounts().encoded() + index.labelCounts().collisions());

        ShardBatchLoader loader = new ShardBatchLoader(new SerializableHadoopConfiguration(new Configuration()), 96, 96, 3);
        DataSet last = loader.load(source(index.batches().get(2).path()));
        assertThat(last.getFeatures().shape()).containsExactly(2, 3, 96, 96);
        assertThat(last.getLabels().shape()).containsExactly(2, 7, 3, 3);
        assertThat(last.getFeatures().maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
        assertThat(last.getLabels().sumNumber().doubleValue()).isPositive();
    }

    @Test
    void atASmallerSizeTheLoaderResamplesTheImagesAndEncodesTheSameBoxesOnTheSmallerGrid(@TempDir Path directory) throws Exception {
        TrainFixtures.writeShards(directory, 4, 1, 10);
        String shard = directory.resolve("shards/train/shard-00000.tar").toUri().toString();
        ShardIndex index = ShardIndex.read(shard, new Configuration(), 4, 96, 96, 3);
        ShardBatchLoader loader = new ShardBatchLoader(new SerializableHadoopConfiguration(new Configuration()), 96, 96, 3);

        DataSet full = loader.load(source(index.batches().get(0).path()));
        DataSet small = loader.atSize(64, 64).load(source(index.batches().get(0).path()));
        assertThat(small.getFeatures().shape()).containsExactly(4, 3, 64, 64);
        assertThat(small.getLabels().shape()).containsExactly(4, 7, 2, 2);
        // the same picture: mean colour per image and channel within a few levels
        INDArray fullMeans = full.getFeatures().mean(2, 3);
        INDArray smallMeans = small.getFeatures().mean(2, 3);
        assertThat(smallMeans.sub(fullMeans).amaxNumber().doubleValue()).isLessThan(0.02);
        // the same boxes: each object kept on the coarser grid has the same normalised corners and class as on the finer one
        List<String> smallBoxes = normalisedBoxes(small.getLabels(), 2);
        assertThat(smallBoxes).isNotEmpty().isSubsetOf(normalisedBoxes(full.getLabels(), 3));
    }

    /** "image class x1 y1 x2 y2" of every labelled cell, corners as fractions of the image (3 decimals). */
    private static List<String> normalisedBoxes(INDArray labels, int grid) {
        List<String> boxes = new ArrayList<>();
        for (int image = 0; image < labels.size(0); image++) {
            for (int row = 0; row < grid; row++) {
                for (int column = 0; column < grid; column++) {
                    for (int classId = 0; classId < labels.size(1) - 4; classId++) {
                        if (labels.getDouble(image, 4 + classId, row, column) > 0.5) {
                            boxes.add(String.format(java.util.Locale.ROOT, "%d %d %.3f %.3f %.3f %.3f", image, classId,
                                    labels.getDouble(image, 0, row, column) / grid, labels.getDouble(image, 1, row, column) / grid,
                                    labels.getDouble(image, 2, row, column) / grid, labels.getDouble(image, 3, row, column) / grid));
                        }
                    }
                }
            }
        }
        return boxes;
    }

    @Test
    void wrongInputSizeOrClassCountFailsClearly(@TempDir Path directory) throws Exception {
        TrainFixtures.writeShards(directory, 4, 1, 10);
        String shard = directory.resolve("shards/train/shard-00000.tar").toUri().toString();
        assertThatThrownBy(() -> ShardIndex.read(shard, new Configuration(), 4, 128, 128, 3))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.BAD_DATASET))
                .hasMessageContaining("96x96 but the network input is 128x128");
        assertThatThrownBy(() -> ShardIndex.read(shard, new Configuration(), 4, 96, 96, 1))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.BAD_DATASET))
                .hasMessageContaining("but the model has 1 classes");
    }

    private static Source source(String path) {
        return new Source() {
            @Override
            public InputStream getInputStream() {
                throw new UnsupportedOperationException("the loader opens the byte range itself");
            }

            @Override
            public String getPath() {
                return path;
            }
        };
    }
}

package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.dataset.DataSet;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.spark.SerializableHadoopConfiguration;

import java.io.InputStream;
import java.nio.file.Path;

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
    void wrongInputSizeOrClassCountFailsClearly(@TempDir Path directory) throws Exception {
        TrainFixtures.writeShards(directory, 4, 1, 10);
        String shard = directory.resolve("shards/train/shard-00000.tar").toUri().toString();
        assertThatThrownBy(() -> ShardIndex.read(shard, new Configuration(), 4, 128, 128, 3))
                .isInstanceOf(YoloFleetException.class).hasMessageContaining("96x96 but the network input is 128x128");
        assertThatThrownBy(() -> ShardIndex.read(shard, new Configuration(), 4, 96, 96, 1))
                .isInstanceOf(YoloFleetException.class).hasMessageContaining("but the model has 1 classes");
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

package org.yolofleet.augment;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.SerializableHadoopConfiguration;
import scala.Tuple2;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.Serial;
import java.util.Iterator;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Writes one shard per partition: the partition's samples arrive sorted by ordinal, each becomes
 * {@code <key>.jpg} + {@code <key>.json} in a tar under {@code shardsUri} (the staged {@code shards/}). Returns one row per shard: split, number,
 * path, samples, bytes, SHA-256, boxes kept, boxes dropped.
 */
final class ShardWriting implements Function2<Integer, Iterator<Tuple2<Long, Row>>, Iterator<Row>> {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ShardWriting.class);

    private final ShardLayout layout;
    private final String shardsUri;
    private final SerializableHadoopConfiguration hadoop;

    ShardWriting(ShardLayout layout, String shardsUri, SerializableHadoopConfiguration hadoop) {
        this.layout = requireNonNull(layout, "layout");
        this.shardsUri = requireNonNull(shardsUri, "shardsUri");
        this.hadoop = requireNonNull(hadoop, "hadoop");
    }

    @Override
    public Iterator<Row> call(Integer partition, Iterator<Tuple2<Long, Row>> samples) {
        ShardLayout.Shard shard = layout.shardOfPartition(partition);
        Path path = new Path(shardsUri, shard.pathInDirectory());
        FileSystem fileSystem = HadoopFiles.fileSystem(shardsUri, hadoop.get());
        long count = 0;
        long boxesKept = 0;
        long boxesDropped = 0;
        TarShardWriter.Written written;
        try (FSDataOutputStream stream = fileSystem.create(path, true);
             TarShardWriter tar = new TarShardWriter(new BufferedOutputStream(stream, 1 << 20))) {
            while (samples.hasNext()) {
                Tuple2<Long, Row> sample = samples.next();
                Row row = sample._2();
                String key = ShardLayout.key(layout.indexInSplit(sample._1()), row.getString(AugmentRows.ID), row.getInt(AugmentRows.COPY));
                tar.add(key + ".jpg", (byte[]) row.get(AugmentRows.JPEG));
                tar.add(key + ".json", (byte[]) row.get(AugmentRows.LABEL));
                count++;
                boxesKept += row.getInt(AugmentRows.BOXES_KEPT);
                boxesDropped += row.getInt(AugmentRows.BOXES_DROPPED);
            }
            written = tar.finish();
        } catch (IOException exception) {
            throw HadoopFiles.failure("cannot write shard " + path, path.toString(), exception);
        }
        long expected = layout.samplesIn(shard);
        if (count != expected) {
            throw new YoloFleetException(ErrorCode.INTERNAL, shard.path() + " received " + count + " samples, the plan says " + expected);
        }
        LOG.info("augment: wrote {} ({} samples, {} bytes; shard {} of {})", shard.path(), count, written.bytes(), partition + 1,
                layout.totalShards());
        return List.of(RowFactory.create(shard.split().directoryName(), shard.number(), shard.path(), count, written.bytes(),
                written.sha256(), boxesKept, boxesDropped)).iterator();
    }
}

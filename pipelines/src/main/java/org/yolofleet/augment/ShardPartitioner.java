package org.yolofleet.augment;

import org.apache.spark.Partitioner;

import java.io.Serial;

import static java.util.Objects.requireNonNull;

/** Sends each sample (keyed by its global ordinal) to the partition of its shard: one partition writes one shard. */
final class ShardPartitioner extends Partitioner {
    @Serial
    private static final long serialVersionUID = 1L;

    private final ShardLayout layout;

    ShardPartitioner(ShardLayout layout) {
        this.layout = requireNonNull(layout, "layout");
    }

    @Override
    public int numPartitions() {
        return Math.max(1, layout.totalShards());
    }

    @Override
    public int getPartition(Object key) {
        return layout.partitionOf((Long) key);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ShardPartitioner partitioner && partitioner.layout.equals(layout);
    }

    @Override
    public int hashCode() {
        return layout.hashCode();
    }
}

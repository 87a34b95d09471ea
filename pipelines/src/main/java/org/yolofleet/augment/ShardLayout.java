package org.yolofleet.augment;

import org.yolofleet.stage.Split;

import java.io.Serial;
import java.io.Serializable;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Where every output sample goes. Samples are numbered by one global ordinal in the order (split: train then val,
 * image id, copy); a split's samples fill its shards in that order, {@code imagesPerShard} each (the last one takes
 * the rest). Shard partitions are numbered train shards first, then val shards. Nothing here depends on how Spark
 * partitioned the input, so the shards come out identical for any partitioning.
 */
public record ShardLayout(long trainSamples, long valSamples, int imagesPerShard) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    public static final String DIRECTORY = "shards";

    public ShardLayout {
        if (trainSamples < 0 || valSamples < 0) {
            throw new IllegalArgumentException("sample counts must not be negative");
        }
        if (imagesPerShard < 1) {
            throw new IllegalArgumentException("images per shard must be at least 1, got " + imagesPerShard);
        }
    }

    /** One shard: its split and number within the split. */
    public record Shard(Split split, int number) {
        public Shard {
            requireNonNull(split, "split");
            if (number < 0) {
                throw new IllegalArgumentException("shard number must not be negative, got " + number);
            }
        }

        /** Its path relative to the output: {@code shards/<split>/shard-00000.tar}. */
        public String path() {
            return DIRECTORY + "/" + pathInDirectory();
        }

        /** Its path relative to the {@code shards/} directory: {@code <split>/shard-00000.tar}. */
        public String pathInDirectory() {
            return String.format(Locale.ROOT, "%s/shard-%05d.tar", split.directoryName(), number);
        }
    }

    public long samples(Split split) {
        return switch (split) {
            case TRAIN -> trainSamples;
            case VAL -> valSamples;
        };
    }

    public int shards(Split split) {
        long samples = samples(split);
        return Math.toIntExact((samples + imagesPerShard - 1) / imagesPerShard);
    }

    public int totalShards() {
        return shards(Split.TRAIN) + shards(Split.VAL);
    }

    /** The first global ordinal of a split. */
    public long firstOrdinal(Split split) {
        return switch (split) {
            case TRAIN -> 0;
            case VAL -> trainSamples;
        };
    }

    public Split splitOf(long ordinal) {
        checkOrdinal(ordinal);
        return ordinal < trainSamples ? Split.TRAIN : Split.VAL;
    }

    /** The sample's position within its split, from 0. */
    public long indexInSplit(long ordinal) {
        return ordinal - firstOrdinal(splitOf(ordinal));
    }

    /** The partition (= shard) that writes the sample. */
    public int partitionOf(long ordinal) {
        Split split = splitOf(ordinal);
        int number = (int) (indexInSplit(ordinal) / imagesPerShard);
        return switch (split) {
            case TRAIN -> number;
            case VAL -> shards(Split.TRAIN) + number;
        };
    }

    public Shard shardOfPartition(int partition) {
        if (partition < 0 || partition >= totalShards()) {
            throw new IllegalArgumentException("partition " + partition + " is out of range [0, " + totalShards() + ")");
        }
        int trainShards = shards(Split.TRAIN);
        return partition < trainShards ? new Shard(Split.TRAIN, partition) : new Shard(Split.VAL, partition - trainShards);
    }

    /** How many samples the shard holds. */
    public long samplesIn(Shard shard) {
        long first = (long) shard.number() * imagesPerShard;
        return Math.max(0, Math.min(imagesPerShard, samples(shard.split()) - first));
    }

    /**
     * The WebDataset key of a sample: its index in the split (which makes it unique and sorts it), then the image id
     * with anything but letters, digits, '_' and '-' replaced (WebDataset splits names at the first dot), then the copy.
     */
    public static String key(long indexInSplit, String imageId, int copy) {
        String readable = imageId.replaceAll("[^A-Za-z0-9_-]", "_");
        if (readable.length() > 60) {
            readable = readable.substring(readable.length() - 60);
        }
        return String.format(Locale.ROOT, "%08d_%s_c%d", indexInSplit, readable, copy);
    }

    private void checkOrdinal(long ordinal) {
        if (ordinal < 0 || ordinal >= trainSamples + valSamples) {
            throw new IllegalArgumentException("ordinal " + ordinal + " is out of range [0, " + (trainSamples + valSamples) + ")");
        }
    }
}

package org.yolofleet.train;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.Serial;
import java.io.Serializable;

import static java.util.Objects.requireNonNull;

/**
 * One training minibatch: a run of consecutive samples in one tar shard, as the byte range {@code [start, end)} of
 * their entries. Its {@link #path()} ({@code <shard URI>#<start>-<end>}) is what dl4j-spark's {@code fitPaths} hands
 * to {@link ShardBatchLoader} on an executor, which reads just that range (one ranged GET on S3).
 */
public record ShardBatch(String shard, long start, long end, int samples) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public ShardBatch {
        requireNonNull(shard, "shard");
        if (shard.contains("#")) {
            throw new IllegalArgumentException("a shard URI must not contain '#': " + shard);
        }
        if (start < 0 || end <= start || samples < 1) {
            throw new IllegalArgumentException("a batch needs 0 <= start < end and samples >= 1, got " + start + ", " + end + ", " + samples);
        }
    }

    public String path() {
        return shard + "#" + start + "-" + end + "-" + samples;
    }

    public static ShardBatch parse(String path) {
        requireNonNull(path, "path");
        int hash = path.lastIndexOf('#');
        String[] range = hash < 0 ? new String[0] : path.substring(hash + 1).split("-");
        if (range.length != 3) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "not a shard batch path (<shard>#<start>-<end>-<samples>): " + path);
        }
        try {
            return new ShardBatch(path.substring(0, hash), Long.parseLong(range[0]), Long.parseLong(range[1]), Integer.parseInt(range[2]));
        } catch (NumberFormatException notNumber) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "not a shard batch path (<shard>#<start>-<end>-<samples>): " + path);
        }
    }
}

package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.model.LabelCounts;
import org.yolofleet.model.YoloLabelEncoder;
import org.yolofleet.spark.HadoopFiles;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What one training shard holds, read once on an executor at the start of training: its minibatches (byte ranges),
 * its sample count, and the label counts of its objects through the model's encoder (collisions: objects training never
 * sees because a larger one has its centre in the same grid cell). Checks that every sample has the network's size and
 * every class id is one of the model's.
 */
public record ShardIndex(String shard, long samples, List<ShardBatch> batches, long objects, long encoded, long collisions,
                         long outside, long difficult) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public ShardIndex {
        requireNonNull(shard, "shard");
        batches = List.copyOf(batches);
    }

    public LabelCounts labelCounts() {
        return new LabelCounts(objects, encoded, collisions, outside);
    }

    /** Reads a shard and cuts it into minibatches of {@code batchSize} consecutive samples (the last one takes the rest). */
    public static ShardIndex read(String shard, Configuration hadoop, int batchSize, int width, int height, int classes) {
        FileSystem fileSystem = HadoopFiles.fileSystem(shard, hadoop);
        List<ShardSample> samples;
        try (FSDataInputStream input = fileSystem.open(new Path(shard))) {
            samples = ShardSample.group(TarEntries.read(new BufferedInputStream(input, 1 << 20), 0, shard), shard);
        } catch (IOException failure) {
            throw HadoopFiles.failure("cannot read the shard", shard, failure);
        }
        YoloLabelEncoder encoder = new YoloLabelEncoder(classes, width / 32, height / 32);
        float[] scratch = new float[encoder.valuesPerImage()];
        LabelCounts counts = LabelCounts.NONE;
        long difficult = 0;
        for (ShardSample sample : samples) {
            if (sample.label().width() != width || sample.label().height() != height) {
                throw new YoloFleetException(ErrorCode.BAD_DATASET, shard + ": sample " + sample.key() + " is " + sample.label().width() + "x"
                        + sample.label().height() + " but the network input is " + width + "x" + height
                        + ": run augment with the same yolofleet.model.input-width/height as train");
            }
            for (var box : sample.label().boxes()) {
                if (box.classId() >= classes) {
                    throw new YoloFleetException(ErrorCode.BAD_DATASET, shard + ": sample " + sample.key() + " has class id " + box.classId()
                            + " (" + box.className() + ") but the model has " + classes + " classes");
                }
                if (box.difficult()) {
                    difficult++;
                }
            }
            counts = counts.plus(encoder.encodeInto(sample.trainingBoxes(), scratch, 0));
        }
        List<ShardBatch> batches = new ArrayList<>();
        for (int first = 0; first < samples.size(); first += batchSize) {
            int last = Math.min(samples.size(), first + batchSize) - 1;
            batches.add(new ShardBatch(shard, samples.get(first).start(), samples.get(last).end(), last - first + 1));
        }
        return new ShardIndex(shard, samples.size(), batches, counts.objects(), counts.encoded(), counts.collisions(), counts.outside(),
                difficult);
    }
}

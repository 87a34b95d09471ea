package org.yolofleet.publish;

import org.apache.hadoop.conf.Configuration;
import org.yolofleet.augment.SampleLabel;
import org.yolofleet.augment.ShardManifest;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.train.ShardSample;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The val split a training run validated on: the val shards of its input ({@code shards.json}), read one shard at a
 * time, each sample decoded by the one image path ({@link ImageDecoder#STORED_IMAGES}). The publish stage scores every
 * model on it: the new checkpoint, each of its exports, and the release the channel points at now.
 */
public final class ValSplit {
    private final String input;
    private final List<String> shards;
    private final Configuration hadoop;
    private final String datasetVersion;
    private final List<String> classes;

    private ValSplit(String input, List<String> shards, Configuration hadoop, String datasetVersion, List<String> classes) {
        this.input = input;
        this.shards = List.copyOf(shards);
        this.hadoop = hadoop;
        this.datasetVersion = datasetVersion;
        this.classes = List.copyOf(classes);
    }

    /** The val split of the augment output at {@code input}; a split without samples is refused (nothing to gate on). */
    public static ValSplit of(String input, Configuration hadoop) {
        requireNonNull(input, "input");
        requireNonNull(hadoop, "hadoop");
        ShardManifest manifest = ShardManifest.read(HadoopFiles.fileSystem(input, hadoop), input);
        List<String> shards = manifest.shardUris(input, "val");
        if (shards.isEmpty()) {
            throw new YoloFleetException(ErrorCode.BAD_DATASET, input + " has no val shards: publish proves a model on the val split"
                    + " it was trained with, and this one is empty");
        }
        String version = manifest.source() == null || manifest.source().version() == null ? "" : manifest.source().version();
        return new ValSplit(input, shards, hadoop, version, manifest.classes());
    }

    /** The augment output the split belongs to. */
    public String input() {
        return input;
    }

    /** The prepared dataset's version the shards were made from ({@code dataset.json}), empty when it was not recorded. */
    public String datasetVersion() {
        return datasetVersion;
    }

    /** The class names of the shards, in id order. */
    public List<String> classes() {
        return classes;
    }

    /** Every val image in shard order; one shard's JPEGs in memory at a time. */
    public void forEach(Consumer<ValImage> action) {
        for (String shard : shards) {
            for (ShardSample sample : ShardSample.readShard(shard, hadoop)) {
                action.accept(image(sample));
            }
        }
    }

    /** The first {@code count} val images (fewer when the split is smaller), in shard order. */
    public List<ValImage> first(int count) {
        List<ValImage> images = new ArrayList<>(count);
        for (String shard : shards) {
            for (ShardSample sample : ShardSample.readShard(shard, hadoop)) {
                if (images.size() == count) {
                    return images;
                }
                images.add(image(sample));
            }
        }
        return images;
    }

    private static ValImage image(ShardSample sample) {
        List<GroundTruth> truths = new ArrayList<>();
        for (SampleLabel.Box box : sample.label().boxes()) {
            truths.add(new GroundTruth(sample.key(), box.classId(), new BoundingBox(box.xmin(), box.ymin(), box.xmax(), box.ymax()), box.difficult()));
        }
        return new ValImage(sample.key(), ImageDecoder.STORED_IMAGES.decode(sample.jpeg()).image(), truths);
    }
}

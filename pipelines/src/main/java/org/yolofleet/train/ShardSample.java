package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.yolofleet.augment.SampleLabel;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.model.LabelledNetworkBox;
import org.yolofleet.spark.HadoopFiles;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One sample of a shard: its WebDataset key, the JPEG, its label ({@code <key>.json}), and where its entries lie in
 * the archive ({@code [start, end)}).
 */
public record ShardSample(String key, byte[] jpeg, SampleLabel label, long start, long end) {
    public ShardSample {
        requireNonNull(key, "key");
        requireNonNull(jpeg, "jpeg");
        requireNonNull(label, "label");
    }

    /** The boxes to train on, normalised to the network input; {@code difficult} objects are left out (as Darknet's voc_label.py). */
    public List<LabelledNetworkBox> trainingBoxes() {
        List<LabelledNetworkBox> boxes = new ArrayList<>();
        for (SampleLabel.Box box : label.boxes()) {
            if (!box.difficult()) {
                boxes.add(LabelledNetworkBox.ofNetworkPixels(box.classId(), box.xmin(), box.ymin(), box.xmax(), box.ymax(), label.width(), label.height()));
            }
        }
        return List.copyOf(boxes);
    }

    /** Groups a shard's entries into samples by key (the name before the first dot); each needs a .jpg and a .json. */
    public static List<ShardSample> group(List<TarEntries.Entry> entries, String description) {
        Map<String, List<TarEntries.Entry>> byKey = new LinkedHashMap<>();
        for (TarEntries.Entry entry : entries) {
            String name = entry.name().substring(entry.name().lastIndexOf('/') + 1);
            int dot = name.indexOf('.');
            String key = dot < 0 ? name : name.substring(0, dot);
            byKey.computeIfAbsent(key, ignored -> new ArrayList<>()).add(entry);
        }
        List<ShardSample> samples = new ArrayList<>();
        for (Map.Entry<String, List<TarEntries.Entry>> group : byKey.entrySet()) {
            byte[] jpeg = null;
            byte[] json = null;
            long start = Long.MAX_VALUE;
            long end = 0;
            for (TarEntries.Entry entry : group.getValue()) {
                if (entry.name().endsWith(".jpg")) {
                    jpeg = entry.content();
                } else if (entry.name().endsWith(".json")) {
                    json = entry.content();
                }
                start = Math.min(start, entry.headerOffset());
                end = Math.max(end, entry.endOffset());
            }
            if (jpeg == null || json == null) {
                throw new YoloFleetException(ErrorCode.BAD_DATASET, description + ": sample " + group.getKey() + " lacks its "
                        + (jpeg == null ? ".jpg" : ".json"));
            }
            samples.add(new ShardSample(group.getKey(), jpeg, SampleLabel.fromJson(json), start, end));
        }
        return List.copyOf(samples);
    }

    /** The samples of one (val) shard, in archive order: the whole shard read in one stream. */
    public static List<ShardSample> readShard(String shard, Configuration hadoop) {
        FileSystem fileSystem = HadoopFiles.fileSystem(shard, hadoop);
        try (FSDataInputStream input = fileSystem.open(new Path(shard))) {
            return group(TarEntries.read(new BufferedInputStream(input, 1 << 20), 0, shard), shard);
        } catch (IOException failure) {
            throw HadoopFiles.failure("cannot read the shard", shard, failure);
        }
    }
}

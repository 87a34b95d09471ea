package org.yolofleet.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import org.yolofleet.augment.SampleLabel;
import org.yolofleet.augment.ShardManifest;
import org.yolofleet.augment.TarShardWriter;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.core.image.RgbImage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Shards in the augment stage's format, written directly: 96 x 96 grey-noise images with one or two solid rectangles
 * whose colour is their class (red, green, blue), so a few epochs teach the network to find them.
 */
public final class TrainFixtures {
    public static final List<String> CLASSES = List.of("red", "green", "blue");
    public static final int SIZE = 96;
    private static final int[] COLOURS = {0xdc2020, 0x20c020, 0x2040e0};

    private TrainFixtures() {
    }

    /** One sample: its JPEG and label. */
    record Sample(String key, byte[] jpeg, SampleLabel label) {
    }

    static Sample sample(String split, int index, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[3 * SIZE * SIZE];
        for (int pixel = 0; pixel < SIZE * SIZE; pixel++) {
            int grey = 90 + random.nextInt(60);
            pixels[3 * pixel] = (byte) grey;
            pixels[3 * pixel + 1] = (byte) grey;
            pixels[3 * pixel + 2] = (byte) grey;
        }
        List<SampleLabel.Box> boxes = new ArrayList<>();
        int objects = 1 + random.nextInt(2);
        for (int object = 0; object < objects; object++) {
            int width = 28 + random.nextInt(30);
            int height = 28 + random.nextInt(30);
            int left = object == 0 ? random.nextInt(SIZE / 2 - width / 2 + 1) : SIZE / 2 + random.nextInt(Math.max(1, SIZE / 2 - width + 1));
            left = Math.min(left, SIZE - width);
            int top = random.nextInt(SIZE - height + 1);
            int classId = random.nextInt(CLASSES.size());
            for (int y = top; y < top + height; y++) {
                for (int x = left; x < left + width; x++) {
                    int at = 3 * (y * SIZE + x);
                    pixels[at] = (byte) (COLOURS[classId] >> 16);
                    pixels[at + 1] = (byte) (COLOURS[classId] >> 8);
                    pixels[at + 2] = (byte) COLOURS[classId];
                }
            }
            boxes.add(new SampleLabel.Box(classId, CLASSES.get(classId), left, top, left + width, top + height, false, false));
        }
        String key = String.format(Locale.ROOT, "%08d_site_image_%04d_c0", index, index);
        SampleLabel label = new SampleLabel("site/image_" + index, split, 0, SIZE, SIZE, "letterbox", SIZE, SIZE, boxes, 0,
                new SampleLabel.Augmentation(List.of(0.0, 0.0, (double) SIZE, (double) SIZE), false, 0, 1, 1));
        return new Sample(key, JpegCodec.encode(new RgbImage(SIZE, SIZE, pixels), 95), label);
    }

    /** Writes {@code shards/train/shard-NNNNN.tar}, {@code shards/val/...} and {@code shards.json} under {@code directory}. */
    public static void writeShards(Path directory, int trainSamples, int valSamples, int perShard) throws IOException {
        List<ShardManifest.Shard> shards = new ArrayList<>();
        for (String split : List.of("train", "val")) {
            int count = split.equals("train") ? trainSamples : valSamples;
            for (int shard = 0; shard * perShard < count; shard++) {
                String relative = String.format(Locale.ROOT, "shards/%s/shard-%05d.tar", split, shard);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                TarShardWriter.Written written;
                try (TarShardWriter writer = new TarShardWriter(bytes)) {
                    for (int index = shard * perShard; index < Math.min(count, (shard + 1) * perShard); index++) {
                        Sample sample = sample(split, index, (split.equals("train") ? 1000 : 5000) + index);
                        writer.add(sample.key() + ".jpg", sample.jpeg());
                        writer.add(sample.key() + ".json", sample.label().toJson());
                    }
                    written = writer.finish();
                }
                Path file = directory.resolve(relative);
                Files.createDirectories(file.getParent());
                Files.write(file, bytes.toByteArray());
                shards.add(new ShardManifest.Shard(split, relative, Math.min(perShard, count - shard * perShard), written.bytes(), written.sha256()));
            }
        }
        ShardManifest manifest = new ShardManifest(ShardManifest.FORMAT, "test-run", "2025-01-01T00:00:00Z", 0,
                new ShardManifest.SourceDataset("", "test"), CLASSES, new ShardManifest.Input(SIZE, SIZE, "letterbox"), 42,
                new ShardManifest.Recipe(1, true, 0, 0, 1, 1, 0, 0.1, 2, 95), perShard,
                Map.of(), trainSamples + valSamples, 0, shards, Map.of(), "quarantine.json", null);
        Files.writeString(directory.resolve(ShardManifest.FILE_NAME), manifest.toJson(), StandardCharsets.UTF_8);
    }

    /** The defaults with the test's input, output, classes and small, fast settings. */
    public static Config config(String input, String output, Map<String, Object> overrides) {
        Config config = ConfigLoader.defaults()
                .withValue("yolofleet.classes", ConfigValueFactory.fromIterable(CLASSES))
                .withValue("yolofleet.model.input-width", ConfigValueFactory.fromAnyRef(SIZE))
                .withValue("yolofleet.model.input-height", ConfigValueFactory.fromAnyRef(SIZE))
                .withValue("yolofleet.train.input", ConfigValueFactory.fromAnyRef(input))
                .withValue("yolofleet.train.output", ConfigValueFactory.fromAnyRef(output));
        for (Map.Entry<String, Object> override : overrides.entrySet()) {
            config = config.withValue("yolofleet.train." + override.getKey(), ConfigValueFactory.fromAnyRef(override.getValue()));
        }
        return config.resolve();
    }
}

package org.yolofleet.augment;

import org.yolofleet.core.image.ImageDecoder;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.core.image.RgbImage;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads a committed augment output back through any Hadoop file system and checks it against its shards.json. */
final class ShardContents {
    private ShardContents() {
    }

    /** One sample read back from a shard. */
    record Sample(String shard, String key, SampleLabel label, RgbImage image, byte[] jpeg) {
    }

    /** The raw bytes of every shard named in the manifest, by path. */
    static Map<String, byte[]> shardBytes(FileSystem fileSystem, String output, ShardManifest manifest) throws IOException {
        Map<String, byte[]> shards = new LinkedHashMap<>();
        for (ShardManifest.Shard shard : manifest.shards()) {
            try (FSDataInputStream input = fileSystem.open(new Path(output, shard.path()))) {
                shards.put(shard.path(), input.readAllBytes());
            }
        }
        return shards;
    }

    /**
     * Every sample of every shard, checking on the way that sizes and checksums match the manifest, that each key has
     * exactly a .jpg and a .json, and that the label describes the image (size, split, copy).
     */
    static List<Sample> read(FileSystem fileSystem, String output, ShardManifest manifest) throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (Map.Entry<String, byte[]> shard : shardBytes(fileSystem, output, manifest).entrySet()) {
            ShardManifest.Shard described = manifest.shards().stream().filter(candidate -> candidate.path().equals(shard.getKey()))
                    .findFirst().orElseThrow();
            assertThat((long) shard.getValue().length).as(shard.getKey()).isEqualTo(described.bytes());
            assertThat(sha256(shard.getValue())).as(shard.getKey()).isEqualTo(described.sha256());

            Map<String, byte[]> entries = TarReading.entries(shard.getValue());
            assertThat(entries).as(shard.getKey()).hasSize((int) (2 * described.samples()));
            List<String> names = new ArrayList<>(entries.keySet());
            for (int index = 0; index < names.size(); index += 2) {
                String key = names.get(index).substring(0, names.get(index).indexOf('.'));
                assertThat(names.get(index)).isEqualTo(key + ".jpg");
                assertThat(names.get(index + 1)).isEqualTo(key + ".json");
                SampleLabel label = SampleLabel.fromJson(entries.get(key + ".json"));
                RgbImage image = ImageDecoder.STORED_IMAGES.decode(entries.get(key + ".jpg")).image();
                assertThat(image.width()).isEqualTo(label.width()).isEqualTo(manifest.input().width());
                assertThat(image.height()).isEqualTo(label.height()).isEqualTo(manifest.input().height());
                assertThat(shard.getKey()).startsWith("shards/" + label.split() + "/");
                assertThat(key).endsWith("_c" + label.copy());
                samples.add(new Sample(shard.getKey(), key, label, image, entries.get(key + ".jpg")));
            }
        }
        return samples;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}

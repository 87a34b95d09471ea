package org.yolofleet.augment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.spark.HadoopFiles;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * {@code shards.json}: what an augment output holds and how it was made. Written last; its presence marks the
 * output complete. Training reads the shard list, the classes and the input size from here.
 *
 * @param source             the prepared dataset the shards were made from
 * @param splits             counts per split ("train", "val")
 * @param shards             every shard, train first, in order
 * @param quarantineByReason prepared records set aside, by {@link QuarantineReason}
 * @param quarantine         the file listing them, relative to the output
 * @param preview            the contact sheet, relative to the output
 */
public record ShardManifest(
        String format,
        String runId,
        String createdAt,
        double durationSeconds,
        SourceDataset source,
        List<String> classes,
        Input input,
        long seed,
        Recipe recipe,
        int imagesPerShard,
        Map<String, SplitCounts> splits,
        long samples,
        long bytes,
        List<Shard> shards,
        Map<String, Long> quarantineByReason,
        String quarantine,
        String preview) {

    public static final String FORMAT = "yolofleet-shards/1";
    public static final String FILE_NAME = "shards.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ShardManifest {
        requireNonNull(format, "format");
        requireNonNull(source, "source");
        classes = List.copyOf(classes);
        requireNonNull(input, "input");
        requireNonNull(recipe, "recipe");
        splits = Map.copyOf(splits);
        shards = List.copyOf(shards);
        quarantineByReason = Map.copyOf(quarantineByReason);
    }

    /** The URIs of one split's shards ("train", "val"), in order, for the manifest read from {@code outputUri}. */
    public List<String> shardUris(String outputUri, String split) {
        return shards.stream()
                .filter(shard -> shard.split().equals(split))
                .map(shard -> new Path(outputUri, shard.path()).toString())
                .toList();
    }

    /** The prepared dataset: its URI and {@code dataset.json} version. */
    public record SourceDataset(String uri, String version) {
    }

    public record Input(int width, int height, String resizeMode) {
    }

    /** The augmentation settings, as configured. */
    public record Recipe(int copies, boolean includeOriginal, double jitter, double hue, double saturation, double exposure,
                         double flip, double minVisibleFraction, double minSizePixels, int jpegQuality) {
        static Recipe of(AugmentRecipe recipe) {
            AugmentationSettings settings = recipe.augmentation();
            return new Recipe(recipe.copies(), recipe.includeOriginal(), settings.jitter(), settings.hue(), settings.saturation(),
                    settings.exposure(), settings.flipProbability(), recipe.boxes().minVisibleFraction(), recipe.boxes().minSizePixels(),
                    recipe.jpegQuality());
        }
    }

    /**
     * @param images      prepared images read
     * @param quarantined of those, set aside
     * @param samples     samples written
     * @param boxesIn     boxes of the augmented images, once per copy ({@code boxesKept + boxesDropped})
     * @param boxesKept   boxes in the written samples
     * @param boxesDropped boxes cut off or left too small by augmentation
     */
    public record SplitCounts(long images, long quarantined, long samples, long boxesIn, long boxesKept, long boxesDropped,
                              int shards, long bytes) {
    }

    /** One shard: its split, path relative to the output, sample count, size and SHA-256. */
    public record Shard(String split, String path, long samples, long bytes, String sha256) {
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException exception) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot write shards.json: " + exception.getMessage(), exception);
        }
    }

    public static ShardManifest fromJson(byte[] json) {
        try {
            return JSON.readValue(json, ShardManifest.class);
        } catch (IOException exception) {
            throw new YoloFleetException(ErrorCode.BAD_DATASET, "cannot read shards.json: " + exception.getMessage(), exception);
        }
    }

    /** Reads the manifest of a committed augment output; fails clearly when it is absent or incomplete. */
    public static ShardManifest read(FileSystem fileSystem, String outputUri) {
        Path path = new Path(outputUri, FILE_NAME);
        byte[] json = HadoopFiles.readIfExists(fileSystem, path).orElseThrow(() -> new YoloFleetException(ErrorCode.CONFIG,
                outputUri + " is not a committed augment output: " + path + " is missing (run augment first)"));
        return fromJson(json);
    }
}

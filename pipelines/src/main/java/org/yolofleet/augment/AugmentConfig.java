package org.yolofleet.augment;

import com.typesafe.config.Config;
import org.yolofleet.config.ConfigReader;
import org.yolofleet.config.ModelInput;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import static java.util.Objects.requireNonNull;

/**
 * Everything the {@code augment} stage reads from the configuration ({@code yolofleet.augment.*} and
 * {@code yolofleet.model.*}), validated at start.
 *
 * @param input          the prepared dataset (Hadoop FS URI)
 * @param output         where the shards are committed
 * @param recipe         what decides the bytes of the samples
 * @param imagesPerShard samples per shard (the last shard of a split takes the rest)
 * @param previewSamples samples on the contact sheet (0: no sheet)
 * @param previewColumns tiles per row of the contact sheet
 * @param partitions     Spark partitions for the per-record work; 0 = derived from the record count
 */
public record AugmentConfig(
        String input,
        String output,
        boolean overwrite,
        AugmentRecipe recipe,
        int imagesPerShard,
        int previewSamples,
        int previewColumns,
        int partitions) {

    public AugmentConfig {
        requireNonNull(input, "input");
        requireNonNull(output, "output");
        requireNonNull(recipe, "recipe");
        if (imagesPerShard < 1) {
            throw new IllegalArgumentException("images per shard must be at least 1, got " + imagesPerShard);
        }
        if (previewSamples < 0 || previewColumns < 1 || partitions < 0) {
            throw new IllegalArgumentException("preview samples and partitions must not be negative, columns must be positive");
        }
    }

    public static AugmentConfig from(Config config) {
        ConfigReader root = new ConfigReader(config, "yolofleet");
        ConfigReader augment = root.at("augment");
        ConfigReader boxes = augment.at("boxes");
        ConfigReader preview = augment.at("preview");

        String input = augment.nonEmptyString("input", "the URI of a prepared dataset (file:/..., s3a://bucket/prefix)");
        String output = augment.nonEmptyString("output", "a Hadoop FS URI for the shards (file:/..., s3a://bucket/prefix)");
        if (trimmed(input).equals(trimmed(output))) {
            throw new YoloFleetException(ErrorCode.CONFIG, augment.key("output") + " = " + output + " is not allowed: it is the input "
                    + "dataset itself; choose another location");
        }
        AugmentationSettings settings = new AugmentationSettings(
                augment.number("jitter", 0, 0.5, false),
                augment.number("hue", 0, 0.5, true),
                augment.number("saturation", 1, 100, true),
                augment.number("exposure", 1, 100, true),
                augment.number("flip", 0, 1, true));
        AugmentRecipe recipe = new AugmentRecipe(
                ModelInput.read(root.at("model")),
                settings,
                new BoxRules(boxes.number("min-visible-fraction", 0, 1, true), boxes.number("min-size-pixels", 0, 10_000, true)),
                augment.integer("copies", 1, 1000),
                augment.bool("include-original"),
                augment.longInteger("seed", Long.MIN_VALUE, Long.MAX_VALUE),
                augment.integer("jpeg-quality", 1, 100));
        return new AugmentConfig(
                input,
                output,
                augment.bool("overwrite"),
                recipe,
                augment.integer("images-per-shard", 1, 10_000_000),
                preview.integer("samples", 0, 1000),
                preview.integer("columns", 1, 100),
                augment.integer("partitions", 0, 100_000));
    }

    private static String trimmed(String uri) {
        return uri.replaceAll("/+$", "");
    }
}

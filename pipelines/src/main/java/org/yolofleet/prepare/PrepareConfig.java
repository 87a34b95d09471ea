package org.yolofleet.prepare;

import com.typesafe.config.Config;
import org.yolofleet.config.ConfigReader;
import org.yolofleet.config.ModelInput;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.dataset.RecordRules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Everything the {@code prepare} stage reads from the configuration, validated at start.
 *
 * @param inputs      VOC roots as Hadoop FS URIs
 * @param sourceNames one unique name per input, used to namespace image ids
 * @param output      where the prepared dataset is committed
 * @param partitions  Spark partitions for the per-record work; 0 = derived from the record count
 */
public record PrepareConfig(
        List<String> inputs,
        List<String> sourceNames,
        String output,
        boolean overwrite,
        ModelInput modelInput,
        RecordRules rules,
        double maxRejectedFraction,
        int examplesPerReason,
        SplitPolicy split,
        AnchorSettings anchors,
        int partitions) {

    /** How images are assigned to train and val. */
    public enum SplitMode { HASH, IMAGESETS }

    public record SplitPolicy(SplitMode mode, double valFraction, String salt, String trainList, String valList) {
        public SplitPolicy {
            requireNonNull(mode, "mode");
            requireNonNull(salt, "salt");
            requireNonNull(trainList, "trainList");
            requireNonNull(valList, "valList");
            if (!(valFraction >= 0 && valFraction < 1)) {
                throw new IllegalArgumentException("valFraction must be in [0, 1), got " + valFraction);
            }
        }
    }

    public record AnchorSettings(int count, long seed, int maxIterations) {
        public AnchorSettings {
            if (count < 1 || maxIterations < 1) {
                throw new IllegalArgumentException("anchor count and iterations must be positive");
            }
        }
    }

    public PrepareConfig {
        inputs = List.copyOf(inputs);
        sourceNames = List.copyOf(sourceNames);
        requireNonNull(output, "output");
        requireNonNull(modelInput, "modelInput");
        requireNonNull(rules, "rules");
        requireNonNull(split, "split");
        requireNonNull(anchors, "anchors");
        if (inputs.size() != sourceNames.size()) {
            throw new IllegalArgumentException("one source name per input expected");
        }
    }

    public static PrepareConfig from(Config config) {
        ConfigReader root = new ConfigReader(config, "yolofleet");
        ConfigReader prepare = root.at("prepare");

        List<String> classes = root.strings("classes");
        if (classes.isEmpty()) {
            throw new YoloFleetException(ErrorCode.CONFIG, root.key("classes") + " is empty: list the class names, e.g. [car, person]");
        }
        if (new HashSet<>(classes).size() != classes.size()) {
            throw new YoloFleetException(ErrorCode.CONFIG, root.key("classes") + " = " + classes + " names a class twice");
        }

        List<String> inputs = prepare.strings("inputs");
        if (inputs.isEmpty()) {
            throw new YoloFleetException(ErrorCode.CONFIG,
                    prepare.key("inputs") + " is empty: give one or more VOC roots (file:/..., s3a://bucket/prefix)");
        }
        List<String> sourceNames = sourceNames(prepare, inputs);

        ConfigReader image = prepare.at("image");
        ConfigReader boxes = prepare.at("boxes");
        RecordRules rules = new RecordRules(
                classes,
                root.stringMap("aliases"),
                image.longInteger("max-pixels", 1, Long.MAX_VALUE),
                boxes.number("clip-tolerance-pixels", 0, 1000, true),
                boxes.number("min-size-pixels", 0, 10_000, true),
                image.integer("jpeg-quality", 1, 100))
                .withAllObjectsRejected(prepare.enumeration("all-objects-rejected", RecordRules.AllObjectsRejected.class));

        ConfigReader split = prepare.at("split");
        ConfigReader anchors = prepare.at("anchors");
        ConfigReader quarantine = prepare.at("quarantine");
        return new PrepareConfig(
                inputs,
                sourceNames,
                prepare.nonEmptyString("output", "a Hadoop FS URI for the prepared dataset (file:/..., s3a://bucket/prefix)"),
                prepare.bool("overwrite"),
                ModelInput.read(root.at("model")),
                rules,
                quarantine.number("max-rejected-fraction", 0, 1, true),
                quarantine.integer("examples-per-reason", 0, 100),
                new SplitPolicy(
                        split.enumeration("mode", SplitMode.class),
                        split.number("val-fraction", 0, 1, false),
                        split.string("salt"),
                        split.nonEmptyString("train-list", "the ImageSets/Main list name of training images, e.g. trainval"),
                        split.nonEmptyString("val-list", "the ImageSets/Main list name of validation images, e.g. test")),
                new AnchorSettings(
                        anchors.integer("count", 1, 30),
                        anchors.longInteger("seed", Long.MIN_VALUE, Long.MAX_VALUE),
                        anchors.integer("max-iterations", 1, 10_000)),
                prepare.integer("partitions", 0, 100_000));
    }

    private static List<String> sourceNames(ConfigReader prepare, List<String> inputs) {
        List<String> configured = prepare.strings("source-names");
        if (!configured.isEmpty()) {
            if (configured.size() != inputs.size()) {
                throw new YoloFleetException(ErrorCode.CONFIG, prepare.key("source-names") + " has " + configured.size()
                        + " names for " + inputs.size() + " inputs: give one per input, or none");
            }
            if (new HashSet<>(configured).size() != configured.size()) {
                throw new YoloFleetException(ErrorCode.CONFIG, prepare.key("source-names") + " = " + configured + " must be unique");
            }
            for (String name : configured) {
                if (!name.matches("[A-Za-z0-9._-]+")) {
                    throw new YoloFleetException(ErrorCode.CONFIG, prepare.key("source-names") + ": '" + name
                            + "' is not allowed: use letters, digits, '.', '_' and '-'");
                }
            }
            return configured;
        }
        List<String> names = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (String input : inputs) {
            String trimmed = input.replaceAll("/+$", "");
            String base = trimmed.substring(trimmed.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
            if (base.isEmpty()) {
                base = "source";
            }
            String name = base;
            for (int suffix = 2; !taken.add(name); suffix++) {
                name = base + "-" + suffix;
            }
            names.add(name);
        }
        return names;
    }
}

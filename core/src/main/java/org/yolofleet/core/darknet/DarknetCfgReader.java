package org.yolofleet.core.darknet;

import org.yolofleet.core.model.ResizeFilter;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.Activation;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.LayerSpec;
import org.yolofleet.core.model.LearningRatePolicy;
import org.yolofleet.core.model.MaxPoolLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.NetOptions;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TensorShape;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Reads a Darknet {@code .cfg} file into a {@link ModelSpec}.
 *
 * <p>The format: {@code [section]} headers, {@code key=value} lines (whitespace around keys, values and list items is
 * ignored), comment lines starting with {@code #} or {@code ;}, blank lines. Supported sections and keys, which cover
 * {@code yolov2-tiny-voc.cfg} and {@code yolov2-tiny.cfg}:
 * <ul>
 *   <li>{@code [net]} or {@code [network]}, first: {@code width}, {@code height}, {@code channels} (required), {@code batch},
 *       {@code subdivisions}, {@code momentum}, {@code decay}, {@code angle}, {@code saturation}, {@code exposure},
 *       {@code hue}, {@code learning_rate}, {@code burn_in}, {@code max_batches}, {@code policy} ({@code constant} or
 *       {@code steps}), {@code steps}, {@code scales}, and {@code letter_box} (the AlexeyAB fork's key: 1 letterbox,
 *       0 plain resize; absent means letterbox, what pjreddie's Darknet does);</li>
 *   <li>{@code [convolutional]} or {@code [conv]}: {@code filters}, {@code size}, {@code stride}, {@code pad},
 *       {@code batch_normalize}, {@code activation} ({@code leaky}, {@code linear}, {@code relu}, {@code logistic});</li>
 *   <li>{@code [maxpool]} or {@code [max]}: {@code size}, {@code stride};</li>
 *   <li>{@code [region]}, last: {@code anchors} (required), {@code classes}, {@code coords}, {@code num}, {@code softmax},
 *       {@code jitter}, {@code rescore}, {@code object_scale}, {@code noobject_scale}, {@code class_scale},
 *       {@code coord_scale}, {@code absolute}, {@code thresh}, {@code random}, {@code bias_match}.</li>
 * </ul>
 * Keys left out take Darknet's defaults. Anything else (another section, an unknown key, a repeated key, a value of
 * the wrong type or range) fails with {@link ErrorCode#BAD_MODEL_SPEC}, naming the line, its text and what is allowed.
 */
public final class DarknetCfgReader {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private DarknetCfgReader() {}

    public static ModelSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (NoSuchFileException e) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, "cfg file not found: " + file, e);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read cfg file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses cfg text; errors name the source as {@code cfg}. */
    public static ModelSpec parse(String text) {
        return parse(text, "cfg");
    }

    /**
     * Parses cfg text.
     *
     * @param sourceName names the text in error messages, usually its file name
     */
    public static ModelSpec parse(String text, String sourceName) {
        return parse(text, sourceName, ResizeFilter.DARKNET);
    }

    /**
     * Parses cfg text whose {@code [net]} may lack {@code resize_filter} (yolofleet's key): then {@code whenAbsent}, which is
     * {@link ResizeFilter#DARKNET} for a cfg from Darknet and {@link ResizeFilter#AREA} for a checkpoint yolofleet wrote
     * before it recorded the filter.
     */
    public static ModelSpec parse(String text, String sourceName, ResizeFilter whenAbsent) {
        requireNonNull(whenAbsent, "whenAbsent");
        requireNonNull(text, "text");
        requireNonNull(sourceName, "sourceName");
        List<Section> sections = sections(text, sourceName);
        if (sections.isEmpty() || sections.get(0).type != SectionType.NET) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, sourceName + ": the first section must be [net] or [network]"
                    + (sections.isEmpty() ? ", found no sections" : ", found " + sections.get(0).header.quoted()));
        }
        Section net = sections.get(0);
        int width = net.inputSize("width");
        int height = net.inputSize("height");
        int channels = net.integer("channels", null);
        if (channels < 1) {
            throw net.lineOf("channels").error("'channels' must be at least 1");
        }
        ResizeMode resizeMode = net.flag("letter_box", true) ? ResizeMode.LETTERBOX : ResizeMode.RESIZE;
        ResizeFilter resizeFilter = net.resizeFilter("resize_filter", whenAbsent);
        NetOptions netOptions = net.build(DarknetCfgReader::netOptions);

        List<LayerSpec> layers = new ArrayList<>();
        TensorShape shape = new TensorShape(channels, height, width);
        for (Section section : sections.subList(1, sections.size())) {
            LayerSpec layer = section.build(DarknetCfgReader::layer);
            TensorShape input = shape;
            shape = section.build(ignored -> layer.outputShape(input));
            layers.add(layer);
        }
        try {
            return new ModelSpec(width, height, channels, resizeMode, resizeFilter, netOptions, layers);
        }
        catch (IllegalArgumentException e) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, sourceName + ": " + e.getMessage(), e);
        }
    }

    private static List<Section> sections(String text, String source) {
        List<Section> sections = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int index = 0; index < lines.length; index++) {
            Line line = new Line(source, index + 1, lines[index]);
            String content = lines[index].strip();
            if (content.isEmpty() || content.startsWith("#") || content.startsWith(";")) {
                continue;
            }
            if (content.startsWith("[")) {
                sections.add(new Section(line, sectionType(line, content)));
                if (sections.size() > 1 && sections.get(sections.size() - 1).type == SectionType.NET) {
                    throw line.error("[net] must be the first section and appear only once");
                }
                continue;
            }
            if (sections.isEmpty()) {
                throw line.error("a key=value line before the first section; a cfg starts with [net]");
            }
            sections.get(sections.size() - 1).add(line, content);
        }
        return sections;
    }

    private static SectionType sectionType(Line line, String content) {
        if (!content.endsWith("]")) {
            throw line.error("a section header must end with ']'");
        }
        String name = content.substring(1, content.length() - 1).strip();
        return Arrays.stream(SectionType.values())
                .filter(type -> type.names.contains(name))
                .findFirst()
                .orElseThrow(() -> line.error("unknown section [" + name + "]; supported sections: " + SectionType.describeAll()));
    }

    private static NetOptions netOptions(Section net) {
        NetOptions defaults = NetOptions.DARKNET_DEFAULTS;
        LearningRatePolicy policy = net.named("policy", defaults.policy(), DarknetNames::policy, LearningRatePolicy.values(), DarknetNames::policy);
        return new NetOptions(
                net.integer("batch", defaults.batch()),
                net.integer("subdivisions", defaults.subdivisions()),
                net.decimal("momentum", defaults.momentum()),
                net.decimal("decay", defaults.decay()),
                net.decimal("angle", defaults.angle()),
                net.decimal("saturation", defaults.saturation()),
                net.decimal("exposure", defaults.exposure()),
                net.decimal("hue", defaults.hue()),
                net.decimal("learning_rate", defaults.learningRate()),
                net.integer("burn_in", defaults.burnIn()),
                net.integer("max_batches", defaults.maxBatches()),
                policy,
                net.list("steps", DarknetCfgReader::parseInteger, "integers"),
                net.list("scales", DarknetCfgReader::parseDecimal, "decimal numbers"));
    }

    private static LayerSpec layer(Section section) {
        return switch (section.type) {
            case NET -> throw new IllegalStateException("[net] is read separately");
            case CONVOLUTIONAL -> new ConvolutionalLayer(
                    section.integer("filters", 1),
                    section.integer("size", 1),
                    section.integer("stride", 1),
                    section.flag("pad", false),
                    section.flag("batch_normalize", false),
                    section.named("activation", Activation.LOGISTIC, DarknetNames::activation, Activation.values(), DarknetNames::activation));
            case MAX_POOL -> {
                int stride = section.integer("stride", 1);
                yield new MaxPoolLayer(section.integer("size", stride), stride);
            }
            case REGION -> region(section);
        };
    }

    private static RegionLayer region(Section section) {
        List<Double> values = section.list("anchors", DarknetCfgReader::parseDecimal, "decimal numbers");
        if (values.isEmpty()) {
            throw section.header.error("[region] needs anchors=w1,h1, w2,h2, ... (in grid cells)");
        }
        if (values.size() % 2 != 0) {
            throw section.lineOf("anchors").error("anchors must be width,height pairs, got " + values.size() + " numbers");
        }
        List<Anchor> anchors = new ArrayList<>();
        for (int index = 0; index < values.size(); index += 2) {
            try {
                anchors.add(new Anchor(values.get(index), values.get(index + 1)));
            }
            catch (IllegalArgumentException e) {
                throw section.lineOf("anchors").error(e.getMessage());
            }
        }
        int num = section.integer("num", anchors.size());
        if (num != anchors.size()) {
            throw section.lineOf("num").error("num=" + num + " but anchors lists " + anchors.size() + " width,height pairs");
        }
        return new RegionLayer(
                anchors,
                section.integer("classes", 20),
                section.integer("coords", RegionLayer.COORDINATES),
                section.flag("softmax", false),
                section.decimal("jitter", 0.2),
                section.flag("rescore", false),
                section.decimal("object_scale", 1),
                section.decimal("noobject_scale", 1),
                section.decimal("class_scale", 1),
                section.decimal("coord_scale", 1),
                section.flag("absolute", false),
                section.decimal("thresh", 0.5),
                section.flag("random", false),
                section.flag("bias_match", false));
    }

    private static Integer parseInteger(String text) {
        if (!INTEGER.matcher(text).matches()) {
            throw new NumberFormatException();
        }
        return Integer.valueOf(text);
    }

    private static Double parseDecimal(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            throw new NumberFormatException();
        }
        return Double.valueOf(text);
    }

    /** The section types this reader supports, with the names Darknet accepts for them and their keys. */
    private enum SectionType {
        NET(List.of("net", "network"), List.of("batch", "subdivisions", "width", "height", "channels", "momentum", "decay",
                "angle", "saturation", "exposure", "hue", "learning_rate", "burn_in", "max_batches", "policy", "steps", "scales",
                "letter_box", "resize_filter")),
        CONVOLUTIONAL(List.of("convolutional", "conv"), List.of("batch_normalize", "filters", "size", "stride", "pad", "activation")),
        MAX_POOL(List.of("maxpool", "max"), List.of("size", "stride")),
        REGION(List.of("region"), List.of("anchors", "bias_match", "classes", "coords", "num", "softmax", "jitter", "rescore",
                "object_scale", "noobject_scale", "class_scale", "coord_scale", "absolute", "thresh", "random"));

        private final List<String> names;
        private final List<String> keys;

        SectionType(List<String> names, List<String> keys) {
            this.names = names;
            this.keys = keys;
        }

        String displayName() {
            return "[" + names.get(0) + "]";
        }

        static String describeAll() {
            return String.join(", ", Arrays.stream(values()).map(type -> "[" + String.join("] or [", type.names) + "]").toList());
        }
    }

    /** One line of the cfg text, for error messages. */
    private record Line(String source, int number, String text) {
        String quoted() {
            return "'" + text.strip() + "'";
        }

        YoloFleetException error(String message) {
            return new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, source + " line " + number + " " + quoted() + ": " + message);
        }
    }

    private record Entry(Line line, String value) {}

    /** One section of the cfg: its header line and its key=value lines, with typed access that reports the line. */
    private static final class Section {
        private final Line header;
        private final SectionType type;
        private final Map<String, Entry> entries = new LinkedHashMap<>();

        Section(Line header, SectionType type) {
            this.header = header;
            this.type = type;
        }

        void add(Line line, String content) {
            int equals = content.indexOf('=');
            if (equals < 0) {
                throw line.error("expected key=value in " + type.displayName());
            }
            String key = content.substring(0, equals).strip();
            String value = content.substring(equals + 1).strip();
            if (!type.keys.contains(key)) {
                throw line.error("unknown key '" + key + "' in " + type.displayName() + "; allowed keys: " + String.join(", ", type.keys));
            }
            if (entries.containsKey(key)) {
                throw line.error("'" + key + "' is already set in this section, at line " + entries.get(key).line().number());
            }
            if (value.isEmpty()) {
                throw line.error("'" + key + "' has no value");
            }
            entries.put(key, new Entry(line, value));
        }

        Line lineOf(String key) {
            Entry entry = entries.get(key);
            return entry == null ? header : entry.line();
        }

        /** Builds a value from this section; a range error from a constructor is reported at the section's header. */
        <T> T build(Function<Section, T> builder) {
            try {
                return builder.apply(this);
            }
            catch (IllegalArgumentException e) {
                throw header.error(type.displayName() + " starting here: " + e.getMessage());
            }
        }

        /** An integer value, or the default when the key is absent ({@code null} default: the key is required). */
        int integer(String key, Integer defaultValue) {
            return value(key, defaultValue, DarknetCfgReader::parseInteger, "an integer");
        }

        double decimal(String key, double defaultValue) {
            return value(key, defaultValue, DarknetCfgReader::parseDecimal, "a decimal number");
        }

        boolean flag(String key, boolean defaultValue) {
            int value = value(key, defaultValue ? 1 : 0, DarknetCfgReader::parseInteger, "0 or 1");
            if (value != 0 && value != 1) {
                throw lineOf(key).error("'" + key + "' must be 0 or 1");
            }
            return value == 1;
        }

        ResizeFilter resizeFilter(String key, ResizeFilter defaultValue) {
            String text = value(key, defaultValue.key(), String::trim, "area or darknet");
            try {
                return ResizeFilter.ofKey(text);
            }
            catch (IllegalArgumentException e) {
                throw lineOf(key).error("'" + key + "' must be area or darknet");
            }
        }

        int inputSize(String key) {
            int value = integer(key, null);
            if (value < ModelSpec.SIZE_MULTIPLE || value % ModelSpec.SIZE_MULTIPLE != 0) {
                throw lineOf(key).error("'" + key + "' must be a positive multiple of " + ModelSpec.SIZE_MULTIPLE);
            }
            return value;
        }

        <T> T named(String key, T defaultValue, Function<String, Optional<T>> byName, T[] allowed, Function<T, String> nameOf) {
            Entry entry = entries.get(key);
            if (entry == null) {
                return defaultValue;
            }
            return byName.apply(entry.value()).orElseThrow(() -> entry.line().error("unknown " + key + " '" + entry.value()
                    + "'; supported: " + String.join(", ", Arrays.stream(allowed).map(nameOf).toList())));
        }

        <T> List<T> list(String key, Function<String, T> parser, String description) {
            Entry entry = entries.get(key);
            if (entry == null) {
                return List.of();
            }
            List<T> values = new ArrayList<>();
            for (String item : entry.value().split(",", -1)) {
                try {
                    values.add(parser.apply(item.strip()));
                }
                catch (NumberFormatException e) {
                    throw entry.line().error("'" + key + "' must be a comma-separated list of " + description + ", '" + item.strip() + "' is not one");
                }
            }
            return values;
        }

        private <T> T value(String key, T defaultValue, Function<String, T> parser, String description) {
            Entry entry = entries.get(key);
            if (entry == null) {
                if (defaultValue == null) {
                    throw header.error(type.displayName() + " needs '" + key + "'");
                }
                return defaultValue;
            }
            try {
                return parser.apply(entry.value());
            }
            catch (NumberFormatException e) {
                throw entry.line().error("'" + key + "' must be " + description);
            }
        }
    }
}

package org.yolofleet.core.release;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yolofleet.core.detect.Letterbox;
import org.yolofleet.core.detect.RegionDecoder;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.ClassNames;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.ResizeFilter;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.core.onnx.OnnxMetadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Everything a host decoder needs to turn a released model's output into detections, in JSON: the input tensor and how
 * an image becomes it, the output tensor and its layout, the anchors, the decoding rules of {@link RegionDecoder}, the
 * default thresholds, the class names, and a worked example computed by our own decoder ({@link DecodeExample}).
 *
 * <p>It uses the vocabulary of {@link OnnxMetadata} and {@link OnnxExporter}: input {@value OnnxExporter#INPUT_NAME} in
 * {@code RGB, [0,1], NCHW} ({@link OnnxMetadata#PREPROCESSING}), resize mode {@code letterbox} or {@code resize}, resize
 * filter {@code area} or {@code darknet}, anchors in grid cells as Darknet's cfg lists them ({@code w0, h0, w1, h1, ...}),
 * output {@value OnnxExporter#OUTPUT_NAME} of shape {@code [1, A * (5 + C), H / 32, W / 32]} holding raw values (no
 * logistic, exponential or softmax applied). The rules are fixed text: a reader refuses a spec whose rules differ from
 * the ones it implements.
 *
 * @param width network input width in pixels
 * @param height network input height in pixels
 * @param resizeMode how an image is brought to the input size
 * @param resizeFilter how its pixels are resampled on the way
 * @param gridWidth output width in cells
 * @param gridHeight output height in cells
 * @param anchors the region layer's anchors, in grid cells
 * @param classes the class names, in class-index order
 * @param thresholds the default score and NMS thresholds
 * @param example the worked example
 */
public record DecodeSpec(int width, int height, ResizeMode resizeMode, ResizeFilter resizeFilter, int gridWidth, int gridHeight,
                         List<Anchor> anchors, List<String> classes, DecodeThresholds thresholds, DecodeExample example) {
    /** The version of this JSON format; a reader refuses any other. */
    public static final int SCHEMA_VERSION = 1;
    public static final String COLOUR_ORDER = "RGB";
    public static final String VALUE_RANGE = "[0,1]";
    public static final String INPUT_LAYOUT = "NCHW";
    public static final String OUTPUT_LAYOUT = "[A*(5+C), H/32, W/32]";
    public static final String DATA_TYPE = "float32";
    public static final int CHANNELS = 3;

    private static final String SOURCE = "decode spec";

    public DecodeSpec {
        requireNonNull(resizeMode, "resizeMode");
        requireNonNull(resizeFilter, "resizeFilter");
        anchors = List.copyOf(requireNonNull(anchors, "anchors"));
        classes = List.copyOf(requireNonNull(classes, "classes"));
        requireNonNull(thresholds, "thresholds");
        requireNonNull(example, "example");
        if (width < 1 || height < 1 || gridWidth < 1 || gridHeight < 1) {
            throw new IllegalArgumentException("input " + width + " x " + height + " and grid " + gridWidth + " x " + gridHeight + " must be positive");
        }
        if (anchors.isEmpty() || classes.isEmpty()) {
            throw new IllegalArgumentException("a decode spec needs anchors and classes, got " + anchors.size() + " and " + classes.size());
        }
        example.tensor(gridWidth, gridHeight, anchors.size(), classes.size());
        for (DecodeExample.ExampleDetection detection : example.detections()) {
            if (detection.classId() >= classes.size() || !classes.get(detection.classId()).equals(detection.className())) {
                throw new IllegalArgumentException("example detection of class " + detection.classId() + " '" + detection.className()
                        + "' does not name one of the " + classes.size() + " classes");
            }
        }
    }

    /**
     * The decode spec of a network with its class names and default thresholds. {@link ErrorCode#CONFIG} when the names
     * do not fit the classes ({@link ClassNames#check(List, int)}); {@link ErrorCode#BAD_MODEL_SPEC} for a network our
     * decoder does not decode as it was trained: one without a softmax over the classes or not of 3 input channels.
     */
    public static DecodeSpec from(ModelSpec spec, List<String> classNames, DecodeThresholds thresholds) {
        requireNonNull(spec, "spec");
        requireNonNull(thresholds, "thresholds");
        List<String> names = ClassNames.check(classNames, spec.classCount());
        if (!spec.region().softmax()) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, "the region layer has softmax=0, but every yolofleet decoder (training,"
                    + " detect, the Pi agent) applies a softmax over the classes; set softmax=1 in the cfg");
        }
        if (spec.channels() != CHANNELS) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, "the network takes " + spec.channels() + " input channels, a release takes "
                    + COLOUR_ORDER + " (" + CHANNELS + ")");
        }
        return new DecodeSpec(spec.width(), spec.height(), spec.resizeMode(), spec.resizeFilter(), spec.gridWidth(), spec.gridHeight(),
                spec.anchors(), names, thresholds, DecodeExample.of(spec, names, thresholds));
    }

    /** Values per anchor and cell: 4 box values, the objectness and one logit per class. */
    public int valuesPerAnchor() {
        return 5 + classes.size();
    }

    /** Channels of the output tensor, {@code A * (5 + C)}. */
    public int outputChannels() {
        return anchors.size() * valuesPerAnchor();
    }

    /** The decoder this spec describes. */
    public RegionDecoder decoder() {
        return RegionDecoder.of(gridWidth, gridHeight, anchors, classes.size());
    }

    /** The canonical JSON bytes (see {@link ReleaseJson}). */
    public byte[] toJson() {
        ObjectNode json = ReleaseJson.object();
        write(json);
        return ReleaseJson.write(json);
    }

    /** Reads {@link #toJson()}'s format strictly: {@link ErrorCode#BAD_RELEASE} naming what is wrong. */
    public static DecodeSpec fromJson(byte[] json) {
        return read(ReleaseJson.read(json, SOURCE));
    }

    void write(ObjectNode json) {
        json.put("schemaVersion", SCHEMA_VERSION);
        ObjectNode input = json.putObject("input");
        input.put("name", OnnxExporter.INPUT_NAME);
        input.put("dataType", DATA_TYPE);
        putShape(input, 1, CHANNELS, height, width);
        input.put("layout", INPUT_LAYOUT);
        input.put("colourOrder", COLOUR_ORDER);
        input.put("valueRange", VALUE_RANGE);
        input.put("resizeMode", resizeModeKey(resizeMode));
        input.put("resizeFilter", resizeFilter.key());
        input.put("letterboxFill", Letterbox.BORDER_VALUE);
        ObjectNode output = json.putObject("output");
        output.put("name", OnnxExporter.OUTPUT_NAME);
        output.put("dataType", DATA_TYPE);
        putShape(output, 1, outputChannels(), gridHeight, gridWidth);
        output.put("layout", OUTPUT_LAYOUT);
        ArrayNode anchorArray = json.putArray("anchors");
        for (Anchor anchor : anchors) {
            anchorArray.add(anchor.width()).add(anchor.height());
        }
        ArrayNode classArray = json.putArray("classes");
        classes.forEach(classArray::add);
        ObjectNode rules = json.putObject("rules");
        rules(resizeMode).forEach(rules::put);
        thresholds.write(json.putObject("thresholds"));
        example.write(json.putObject("example"));
    }

    static DecodeSpec read(JsonFields json) {
        int schemaVersion = json.integer("schemaVersion");
        if (schemaVersion != SCHEMA_VERSION) {
            throw json.bad("schemaVersion", "is " + schemaVersion + ", this reader supports decode spec schema version " + SCHEMA_VERSION
                    + " only; update yolofleet");
        }
        JsonFields input = json.object("input");
        requireConstant(input, "name", OnnxExporter.INPUT_NAME);
        requireConstant(input, "dataType", DATA_TYPE);
        List<Integer> inputShape = input.integers("shape");
        requireConstant(input, "layout", INPUT_LAYOUT);
        requireConstant(input, "colourOrder", COLOUR_ORDER);
        requireConstant(input, "valueRange", VALUE_RANGE);
        ResizeMode resizeMode = input.parsed("resizeMode", DecodeSpec::resizeModeOfKey);
        ResizeFilter resizeFilter = input.parsed("resizeFilter", ResizeFilter::ofKey);
        if (input.number("letterboxFill") != Letterbox.BORDER_VALUE) {
            throw input.bad("letterboxFill", "must be " + Letterbox.BORDER_VALUE + ", Darknet's grey");
        }
        input.finish();
        requireShape(input, inputShape, 1, CHANNELS, -1, -1);
        JsonFields output = json.object("output");
        requireConstant(output, "name", OnnxExporter.OUTPUT_NAME);
        requireConstant(output, "dataType", DATA_TYPE);
        List<Integer> outputShape = output.integers("shape");
        requireConstant(output, "layout", OUTPUT_LAYOUT);
        output.finish();
        requireShape(output, outputShape, 1, -1, -1, -1);
        List<Anchor> anchors = readAnchors(json);
        List<String> classes = json.texts("classes");
        JsonFields rules = json.object("rules");
        rules(resizeMode).forEach((name, rule) -> requireConstant(rules, name, rule));
        rules.finish();
        DecodeThresholds thresholds = DecodeThresholds.read(json.object("thresholds"));
        DecodeExample example = DecodeExample.read(json.object("example"));
        DecodeSpec spec = json.build(() -> new DecodeSpec(inputShape.get(3), inputShape.get(2), resizeMode, resizeFilter, outputShape.get(3),
                outputShape.get(2), anchors, classes, thresholds, example));
        if (outputShape.get(1) != spec.outputChannels()) {
            throw output.bad("shape", "has " + outputShape.get(1) + " channels, but " + anchors.size() + " anchors and " + classes.size()
                    + " classes make " + spec.outputChannels());
        }
        return spec;
    }

    /** The decoding rules, in the order written: {@link RegionDecoder}'s arithmetic and the geometry of the resize mode. */
    static Map<String, String> rules(ResizeMode resizeMode) {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("values", "for anchor a at cell (row, col), value k (0 tx, 1 ty, 2 tw, 3 th, 4 to, 5 + c the logit of class c) is"
                + " output[((a * (5 + C) + k) * H + row) * W + col], H x W the grid");
        rules.put("x", "(col + sigmoid(tx)) / W");
        rules.put("y", "(row + sigmoid(ty)) / H");
        rules.put("width", "anchors[2a] * exp(tw) / W");
        rules.put("height", "anchors[2a + 1] * exp(th) / H");
        rules.put("box", "(x, y) is the centre and (width, height) the size, as fractions of the network input;"
                + " corners x - width / 2, y - height / 2, x + width / 2, y + height / 2");
        rules.put("objectness", "sigmoid(to)");
        rules.put("classProbability", "softmax over the C class logits of the cell and anchor");
        rules.put("score", "objectness * classProbability[c]; every (box, class) with score >= thresholds.score is a detection,"
                + " so one box may give several classes");
        rules.put("nms", "per class, by descending score: drop a detection whose IoU with a kept detection of its class is greater than"
                + " thresholds.nmsIou");
        rules.put("toImage", switch (resizeMode) {
            case LETTERBOX -> "letterbox: if inputWidth * imageHeight < inputHeight * imageWidth then resizedWidth = inputWidth,"
                    + " resizedHeight = floor(imageHeight * inputWidth / imageWidth), else resizedHeight = inputHeight,"
                    + " resizedWidth = floor(imageWidth * inputHeight / imageHeight); offsetX = floor((inputWidth - resizedWidth) / 2),"
                    + " offsetY = floor((inputHeight - resizedHeight) / 2); the image is resized into that rectangle on letterboxFill;"
                    + " imageX = (x * inputWidth - offsetX) * imageWidth / resizedWidth,"
                    + " imageY = (y * inputHeight - offsetY) * imageHeight / resizedHeight";
            case RESIZE -> "resize: the image is stretched to the input size; imageX = x * imageWidth, imageY = y * imageHeight";
        });
        rules.put("clip", "decoding does not clip: clip boxes to [0, imageWidth] x [0, imageHeight] and drop empty ones when reporting");
        rules.put("example", "the output tensor is example.fill everywhere except the 5 + C example.values of anchor example.anchor at"
                + " (example.row, example.column); decoded for an image of example.imageWidth x example.imageHeight with the"
                + " thresholds above, it gives example.detections (inputBox in input pixels, imageBox in image pixels)");
        return rules;
    }

    private static String resizeModeKey(ResizeMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    private static ResizeMode resizeModeOfKey(String key) {
        for (ResizeMode mode : ResizeMode.values()) {
            if (resizeModeKey(mode).equals(key)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("resize mode '" + key + "' is not one of letterbox, resize");
    }

    private static void putShape(ObjectNode json, int... dimensions) {
        ArrayNode shape = json.putArray("shape");
        for (int dimension : dimensions) {
            shape.add(dimension);
        }
    }

    /** {@code expected} holds -1 where any positive size is allowed. */
    private static void requireShape(JsonFields json, List<Integer> shape, int... expected) {
        boolean fits = shape.size() == expected.length;
        for (int index = 0; fits && index < expected.length; index++) {
            fits = expected[index] < 0 ? shape.get(index) > 0 : shape.get(index) == expected[index];
        }
        if (!fits) {
            throw json.bad("shape", "must be [1, " + (expected[1] < 0 ? "channels" : expected[1]) + ", height, width], got " + shape);
        }
    }

    private static void requireConstant(JsonFields json, String name, String expected) {
        String value = json.text(name);
        if (!value.equals(expected)) {
            throw json.bad(name, "is '" + value + "', this reader supports '" + expected + "' only");
        }
    }

    private static List<Anchor> readAnchors(JsonFields json) {
        List<Double> values = json.numbers("anchors");
        if (values.isEmpty() || values.size() % 2 != 0) {
            throw json.bad("anchors", "must be width, height pairs in grid cells, got " + values.size() + " values");
        }
        List<Anchor> anchors = new ArrayList<>(values.size() / 2);
        for (int index = 0; index < values.size(); index += 2) {
            try {
                anchors.add(new Anchor(values.get(index), values.get(index + 1)));
            }
            catch (IllegalArgumentException e) {
                throw json.bad("anchors", e.getMessage());
            }
        }
        return anchors;
    }
}

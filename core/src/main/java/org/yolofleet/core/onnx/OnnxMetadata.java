package org.yolofleet.core.onnx;

import org.yolofleet.core.model.ResizeFilter;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.onnx.OnnxExportOptions.Precision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * What a consumer of an exported model needs besides the graph to turn images into detections, stored in the ONNX
 * file's {@code metadata_props} and read back through ONNX Runtime's custom metadata map
 * ({@code OrtSession.getMetadata().getCustomMetadata()}).
 *
 * <p>The keys and their formats:
 * <ul>
 *   <li>{@code producer}: {@code yolofleet}</li>
 *   <li>{@code model_version}: free text chosen by whoever exports the model</li>
 *   <li>{@code classes}: the class names in class-index order, joined by {@code ,} (so a name holds no comma)</li>
 *   <li>{@code anchors}: the anchors in grid cells as Darknet's cfg lists them, {@code w0,h0,w1,h1,...}</li>
 *   <li>{@code input_width}, {@code input_height}: the network input size in pixels</li>
 *   <li>{@code resize_mode}: {@code letterbox} (aspect-preserving, centred on 0.5 grey) or {@code resize} (stretch)</li>
 *   <li>{@code resize_filter}: {@code area} (yolofleet's anti-aliased resampler) or {@code darknet} (Darknet's bilinear {@code resize_image})</li>
 *   <li>{@code preprocessing}: {@value #PREPROCESSING}, the only input encoding we export</li>
 *   <li>{@code precision}: {@code fp32} or {@code fp16}, the number format of the weights and of the values between the
 *       layers ({@link Precision}); the input and output tensors are float32 either way. Absent in models exported
 *       before it was recorded, which were float32.</li>
 * </ul>
 *
 * @param classes class names, one per class of the region layer, in class-index order
 * @param anchors the region layer's anchors, in grid cells
 * @param width input width in pixels
 * @param height input height in pixels
 * @param resizeMode how images are brought to {@code width x height}
 * @param resizeFilter how their pixels are resampled on the way ({@code resize_filter}; absent in models exported before it
 *                     was recorded, which were yolofleet's own: {@code area})
 * @param modelVersion free text naming the trained model, such as a training run
 * @param precision the number format inside the graph ({@code precision}; absent means {@link Precision#FLOAT32})
 */
public record OnnxMetadata(List<String> classes, List<Anchor> anchors, int width, int height, ResizeMode resizeMode, ResizeFilter resizeFilter,
                           String modelVersion, Precision precision) {
    public static final String PRODUCER_KEY = "producer";
    public static final String MODEL_VERSION_KEY = "model_version";
    public static final String CLASSES_KEY = "classes";
    public static final String ANCHORS_KEY = "anchors";
    public static final String INPUT_WIDTH_KEY = "input_width";
    public static final String INPUT_HEIGHT_KEY = "input_height";
    public static final String RESIZE_MODE_KEY = "resize_mode";
    public static final String RESIZE_FILTER_KEY = "resize_filter";
    public static final String PREPROCESSING_KEY = "preprocessing";
    public static final String PRECISION_KEY = "precision";

    public static final String PRODUCER = "yolofleet";
    /** Channel order, value range and memory layout of the input tensor. */
    public static final String PREPROCESSING = "RGB, [0,1], NCHW";

    private static final String SEPARATOR = ",";

    public OnnxMetadata {
        classes = List.copyOf(requireNonNull(classes, "classes"));
        anchors = List.copyOf(requireNonNull(anchors, "anchors"));
        requireNonNull(resizeMode, "resizeMode");
        requireNonNull(resizeFilter, "resizeFilter");
        requireNonNull(modelVersion, "modelVersion");
        requireNonNull(precision, "precision");
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("at least one class name is needed");
        }
        for (String name : classes) {
            if (name.isBlank() || name.contains(SEPARATOR)) {
                throw new IllegalArgumentException("class names must be non-blank and hold no comma, got '" + name + "'");
            }
        }
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("at least one anchor is needed");
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("input width and height must be positive, got " + width + " x " + height);
        }
    }

    /** The metadata of a float32 export. */
    public OnnxMetadata(List<String> classes, List<Anchor> anchors, int width, int height, ResizeMode resizeMode, ResizeFilter resizeFilter,
                        String modelVersion) {
        this(classes, anchors, width, height, resizeMode, resizeFilter, modelVersion, Precision.FLOAT32);
    }

    /** The metadata of a float32 export of a network yolofleet trained itself ({@link ResizeFilter#AREA}). */
    public OnnxMetadata(List<String> classes, List<Anchor> anchors, int width, int height, ResizeMode resizeMode, String modelVersion) {
        this(classes, anchors, width, height, resizeMode, ResizeFilter.AREA, modelVersion);
    }

    /** The metadata of a spec's network; {@link ErrorCode#BAD_MODEL_SPEC} unless there is one name per class. */
    public static OnnxMetadata of(ModelSpec spec, List<String> classNames, String modelVersion) {
        requireNonNull(spec, "spec");
        requireNonNull(classNames, "classNames");
        if (classNames.size() != spec.classCount()) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC,
                    "the region layer has " + spec.classCount() + " classes, got " + classNames.size() + " class names");
        }
        try {
            return new OnnxMetadata(classNames, spec.anchors(), spec.width(), spec.height(), spec.resizeMode(), spec.resizeFilter(),
                    modelVersion);
        }
        catch (IllegalArgumentException e) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, e.getMessage(), e);
        }
    }

    /** The same metadata for an export in the given precision. */
    public OnnxMetadata withPrecision(Precision newPrecision) {
        return new OnnxMetadata(classes, anchors, width, height, resizeMode, resizeFilter, modelVersion, newPrecision);
    }

    /** The {@code metadata_props} entries, in the order listed in the class comment. */
    public Map<String, String> toMap() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(PRODUCER_KEY, PRODUCER);
        properties.put(MODEL_VERSION_KEY, modelVersion);
        properties.put(CLASSES_KEY, String.join(SEPARATOR, classes));
        properties.put(ANCHORS_KEY, anchors.stream()
                .map(anchor -> anchor.width() + SEPARATOR + anchor.height())
                .collect(Collectors.joining(SEPARATOR)));
        properties.put(INPUT_WIDTH_KEY, Integer.toString(width));
        properties.put(INPUT_HEIGHT_KEY, Integer.toString(height));
        properties.put(RESIZE_MODE_KEY, resizeMode.name().toLowerCase(Locale.ROOT));
        properties.put(RESIZE_FILTER_KEY, resizeFilter.key());
        properties.put(PREPROCESSING_KEY, PREPROCESSING);
        properties.put(PRECISION_KEY, precision.key());
        return Collections.unmodifiableMap(properties);
    }

    /**
     * Reads the entries {@link #toMap()} writes; other keys are ignored. {@link ErrorCode#BAD_MODEL_SPEC} naming the key
     * when one is missing or malformed, or when the preprocessing is not {@value #PREPROCESSING}.
     */
    public static OnnxMetadata fromMap(Map<String, String> properties) {
        requireNonNull(properties, "properties");
        String preprocessing = required(properties, PREPROCESSING_KEY);
        if (!preprocessing.equals(PREPROCESSING)) {
            throw bad(PREPROCESSING_KEY, preprocessing, "only '" + PREPROCESSING + "' is supported");
        }
        List<String> classes = List.of(required(properties, CLASSES_KEY).split(SEPARATOR, -1));
        List<Anchor> anchors = parseAnchors(required(properties, ANCHORS_KEY));
        int width = parseSize(properties, INPUT_WIDTH_KEY);
        int height = parseSize(properties, INPUT_HEIGHT_KEY);
        ResizeMode resizeMode = parseResizeMode(required(properties, RESIZE_MODE_KEY));
        ResizeFilter resizeFilter;
        try {
            resizeFilter = ResizeFilter.ofKey(properties.getOrDefault(RESIZE_FILTER_KEY, ResizeFilter.AREA.key()));
        }
        catch (IllegalArgumentException e) {
            throw bad(RESIZE_FILTER_KEY, properties.get(RESIZE_FILTER_KEY), "expected area or darknet");
        }
        Precision precision;
        try {
            precision = Precision.ofKey(properties.getOrDefault(PRECISION_KEY, Precision.FLOAT32.key()));
        }
        catch (IllegalArgumentException e) {
            throw bad(PRECISION_KEY, properties.get(PRECISION_KEY), "expected fp32 or fp16");
        }
        String modelVersion = required(properties, MODEL_VERSION_KEY);
        try {
            return new OnnxMetadata(classes, anchors, width, height, resizeMode, resizeFilter, modelVersion, precision);
        }
        catch (IllegalArgumentException e) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, "bad ONNX model metadata: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> properties, String key) {
        String value = properties.get(key);
        if (value == null) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC,
                    "ONNX model metadata lacks '" + key + "' (not exported by " + PRODUCER + "?), found keys " + properties.keySet());
        }
        return value;
    }

    private static List<Anchor> parseAnchors(String text) {
        String[] values = text.split(SEPARATOR, -1);
        if (values.length % 2 != 0) {
            throw bad(ANCHORS_KEY, text, "expected width,height pairs");
        }
        List<Anchor> anchors = new ArrayList<>();
        try {
            for (int index = 0; index < values.length; index += 2) {
                anchors.add(new Anchor(Double.parseDouble(values[index].strip()), Double.parseDouble(values[index + 1].strip())));
            }
        }
        catch (IllegalArgumentException e) {
            throw bad(ANCHORS_KEY, text, e.getMessage());
        }
        return anchors;
    }

    private static int parseSize(Map<String, String> properties, String key) {
        String text = required(properties, key);
        try {
            int size = Integer.parseInt(text);
            if (size < 1) {
                throw bad(key, text, "expected a positive number of pixels");
            }
            return size;
        }
        catch (NumberFormatException e) {
            throw bad(key, text, "expected a positive number of pixels");
        }
    }

    private static ResizeMode parseResizeMode(String text) {
        for (ResizeMode mode : ResizeMode.values()) {
            if (mode.name().toLowerCase(Locale.ROOT).equals(text)) {
                return mode;
            }
        }
        throw bad(RESIZE_MODE_KEY, text, "expected one of " + Arrays.stream(ResizeMode.values())
                .map(mode -> mode.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
    }

    private static YoloFleetException bad(String key, String value, String reason) {
        return new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, "ONNX model metadata '" + key + "' = '" + value + "': " + reason);
    }
}

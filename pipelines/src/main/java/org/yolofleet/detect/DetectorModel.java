package org.yolofleet.detect;

import org.yolofleet.core.model.ResizeFilter;
import org.yolofleet.core.detect.RegionDecoder;
import org.yolofleet.core.image.ImagePreprocessor;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.ResizeMode;

import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * What turns a detector's images into input and its raw output into detections, whichever runtime it is.
 *
 * @param runtime the library that runs the network
 * @param source where the model came from (a file name), for messages
 * @param classNames one name per class, in class-index order
 * @param anchors the region layer's anchors, in grid cells
 * @param inputWidth network input width in pixels
 * @param inputHeight network input height in pixels
 * @param resizeMode how images are brought to the input size
 * @param resizeFilter how their pixels are resampled on the way (the filter the network was trained with)
 * @param gridWidth the raw output's width in cells
 * @param gridHeight the raw output's height in cells
 */
public record DetectorModel(
        InferenceRuntime runtime,
        String source,
        List<String> classNames,
        List<Anchor> anchors,
        int inputWidth,
        int inputHeight,
        ResizeMode resizeMode,
        ResizeFilter resizeFilter,
        int gridWidth,
        int gridHeight) {
    private static final int BOX_VALUES = 5;

    public DetectorModel {
        requireNonNull(runtime, "runtime");
        requireNonNull(source, "source");
        classNames = List.copyOf(requireNonNull(classNames, "classNames"));
        anchors = List.copyOf(requireNonNull(anchors, "anchors"));
        requireNonNull(resizeMode, "resizeMode");
        requireNonNull(resizeFilter, "resizeFilter");
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("a detector needs at least one class name");
        }
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("a detector needs at least one anchor");
        }
        if (inputWidth < 1 || inputHeight < 1) {
            throw new IllegalArgumentException("input width and height must be positive, got " + inputWidth + " x " + inputHeight);
        }
        if (gridWidth < 1 || gridHeight < 1) {
            throw new IllegalArgumentException("grid width and height must be positive, got " + gridWidth + " x " + gridHeight);
        }
    }

    public int classCount() {
        return classNames.size();
    }

    /** The name of a class id; {@link IllegalArgumentException} for an id the model does not have. */
    public String className(int classId) {
        if (classId < 0 || classId >= classNames.size()) {
            throw new IllegalArgumentException("class id " + classId + " is not in [0, " + classNames.size() + ")");
        }
        return classNames.get(classId);
    }

    /** Channels of the raw output: {@code anchors * (5 + classes)}. */
    public int outputChannels() {
        return anchors.size() * (BOX_VALUES + classNames.size());
    }

    /** Floats in one image's raw output, {@code anchors * (5 + classes) * gridHeight * gridWidth}. */
    public int outputLength() {
        return outputChannels() * gridHeight * gridWidth;
    }

    /** Floats in one image's input, {@code 3 * inputHeight * inputWidth}. */
    public int inputLength() {
        return 3 * inputHeight * inputWidth;
    }

    /** Fails unless {@code input} holds exactly one network input (3 × height × width values). */
    public void requireInputLength(float[] input) {
        requireNonNull(input, "input");
        if (input.length != inputLength()) {
            throw new IllegalArgumentException("the model takes " + inputLength() + " input values (3 x " + inputHeight()
                    + " x " + inputWidth() + "), got " + input.length);
        }
    }

    public ImagePreprocessor preprocessor() {
        return new ImagePreprocessor(inputWidth, inputHeight, resizeMode, resizeFilter);
    }

    public RegionDecoder decoder() {
        return RegionDecoder.of(gridWidth, gridHeight, anchors, classNames.size());
    }

    /**
     * One line for logs and summaries, such as {@code ONNX_RUNTIME model.onnx: 416 x 416 letterbox, 13 x 13 x 5 anchors, 20 classes}
     * ({@code letterbox (darknet resize)} for a model run with Darknet's resize).
     */
    public String describe() {
        String filter = resizeFilter == ResizeFilter.AREA ? "" : " (" + resizeFilter.key() + " resize)";
        return String.format(Locale.ROOT, "%s %s: %d x %d %s%s, %d x %d grid x %d anchors, %d classes", runtime, source, inputWidth,
                inputHeight, resizeMode.name().toLowerCase(Locale.ROOT), filter, gridWidth, gridHeight, anchors.size(), classNames.size());
    }

    /**
     * Where element {@code index} of one image's raw output sits, for error messages: {@code "anchor 2 objectness at
     * cell (x 4, y 7)"} ({@code tx, ty, tw, th, objectness}, then {@code class <name>}).
     */
    public String describeOutputIndex(int index) {
        if (index < 0 || index >= outputLength()) {
            throw new IllegalArgumentException("output index " + index + " is not in [0, " + outputLength() + ")");
        }
        int cells = gridWidth * gridHeight;
        int channel = index / cells;
        int cell = index % cells;
        int field = channel % (BOX_VALUES + classNames.size());
        String name = field < BOX_VALUES ? List.of("tx", "ty", "tw", "th", "objectness").get(field) : "class " + classNames.get(field - BOX_VALUES);
        return String.format(Locale.ROOT, "anchor %d %s at cell (x %d, y %d)", channel / (BOX_VALUES + classNames.size()), name,
                cell % gridWidth, cell / gridWidth);
    }
}

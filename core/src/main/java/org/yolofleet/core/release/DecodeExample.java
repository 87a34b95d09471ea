package org.yolofleet.core.release;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.Letterbox;
import org.yolofleet.core.detect.NonMaxSuppression;
import org.yolofleet.core.detect.RegionDecoder;
import org.yolofleet.core.image.ImagePreprocessor;
import org.yolofleet.core.model.ModelSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The worked example of a {@link DecodeSpec}: an output tensor that is {@code fill} everywhere except the {@code 5 + C}
 * values of one anchor at one cell, and the detections {@link RegionDecoder} makes of it for an image of
 * {@code imageWidth x imageHeight}. It is computed by running our decoder ({@link #of}), never written by hand, so a
 * host decoder that reproduces it decodes as yolofleet does.
 *
 * @param imageWidth the example image's width in pixels
 * @param imageHeight the example image's height in pixels
 * @param fill every value of the tensor outside the listed cell (strongly negative: no objectness anywhere else)
 * @param anchor the anchor index of the listed values
 * @param row the grid row of the listed values
 * @param column the grid column of the listed values
 * @param values the {@code 5 + C} values {@code tx, ty, tw, th, to} and the class logits, float32
 * @param detections what the decoder gives, by descending score
 */
public record DecodeExample(int imageWidth, int imageHeight, float fill, int anchor, int row, int column, List<Float> values,
                            List<ExampleDetection> detections) {
    /** The example image size: a common camera frame, wider than high, so a letterbox shows its offsets. */
    static final int EXAMPLE_WIDTH = 640;
    static final int EXAMPLE_HEIGHT = 480;
    private static final float FILL = -20f;
    private static final float[] BOX_VALUES = {0.5f, -0.25f, 0.25f, -0.125f, 4f};
    private static final float CLASS_LOGIT = 6f;

    public DecodeExample {
        if (imageWidth < 1 || imageHeight < 1) {
            throw new IllegalArgumentException("example image size must be positive, got " + imageWidth + " x " + imageHeight);
        }
        if (!Float.isFinite(fill)) {
            throw new IllegalArgumentException("example fill must be finite, got " + fill);
        }
        if (anchor < 0 || row < 0 || column < 0) {
            throw new IllegalArgumentException("example anchor, row and column must not be negative, got " + anchor + ", " + row + ", " + column);
        }
        values = List.copyOf(requireNonNull(values, "values"));
        detections = List.copyOf(requireNonNull(detections, "detections"));
    }

    /**
     * The example for a network: one strong prediction of the last class by anchor {@code min(1, A - 1)} at the middle
     * cell, decoded for a 640 x 480 image with the network's resize mode and the given thresholds.
     */
    static DecodeExample of(ModelSpec spec, List<String> classNames, DecodeThresholds thresholds) {
        int classes = spec.classCount();
        List<Float> values = new ArrayList<>(Collections.nCopies(5 + classes, 0f));
        for (int index = 0; index < BOX_VALUES.length; index++) {
            values.set(index, BOX_VALUES[index]);
        }
        values.set(5 + classes - 1, CLASS_LOGIT);
        DecodeExample cell = new DecodeExample(EXAMPLE_WIDTH, EXAMPLE_HEIGHT, FILL, Math.min(1, spec.anchors().size() - 1),
                spec.gridHeight() / 2, spec.gridWidth() / 2, values, List.of());
        float[] tensor = cell.tensor(spec.gridWidth(), spec.gridHeight(), spec.anchors().size(), classes);
        RegionDecoder decoder = RegionDecoder.of(spec.gridWidth(), spec.gridHeight(), spec.anchors(), classes);
        NonMaxSuppression suppression = NonMaxSuppression.withIouThreshold(thresholds.nmsIou());
        Letterbox geometry = new ImagePreprocessor(spec.width(), spec.height(), spec.resizeMode(), spec.resizeFilter())
                .geometry(EXAMPLE_WIDTH, EXAMPLE_HEIGHT);
        List<ExampleDetection> detections = new ArrayList<>();
        for (Detection detection : decoder.detect(tensor, geometry, thresholds.score(), suppression)) {
            // the geometry's inverse: where the box lies in the network input, before the letterbox or resize is undone
            BoundingBox inputBox = geometry.toNetwork(detection.box()).scale(spec.width(), spec.height());
            detections.add(new ExampleDetection(detection.classId(), classNames.get(detection.classId()), detection.score(), inputBox,
                    detection.box()));
        }
        return new DecodeExample(EXAMPLE_WIDTH, EXAMPLE_HEIGHT, FILL, cell.anchor, cell.row, cell.column, values, detections);
    }

    /** The example's output tensor, {@code [A * (5 + C), H, W]} in row-major order, for a network of that shape. */
    public float[] tensor(int gridWidth, int gridHeight, int anchorCount, int classCount) {
        int valuesPerAnchor = 5 + classCount;
        if (values.size() != valuesPerAnchor || anchor >= anchorCount || row >= gridHeight || column >= gridWidth) {
            throw new IllegalArgumentException("the example (" + values.size() + " values at anchor " + anchor + ", row " + row + ", column "
                    + column + ") does not fit a " + anchorCount + " x (5 + " + classCount + ") x " + gridHeight + " x " + gridWidth + " tensor");
        }
        float[] tensor = new float[anchorCount * valuesPerAnchor * gridHeight * gridWidth];
        Arrays.fill(tensor, fill);
        for (int value = 0; value < valuesPerAnchor; value++) {
            tensor[((anchor * valuesPerAnchor + value) * gridHeight + row) * gridWidth + column] = values.get(value);
        }
        return tensor;
    }

    void write(ObjectNode json) {
        json.put("imageWidth", imageWidth);
        json.put("imageHeight", imageHeight);
        json.put("fill", fill);
        json.put("anchor", anchor);
        json.put("row", row);
        json.put("column", column);
        ArrayNode array = json.putArray("values");
        values.forEach(array::add);
        ArrayNode detectionArray = json.putArray("detections");
        for (ExampleDetection detection : detections) {
            detection.write(detectionArray.addObject());
        }
    }

    static DecodeExample read(JsonFields json) {
        int imageWidth = json.integer("imageWidth");
        int imageHeight = json.integer("imageHeight");
        float fill = toFloat(json, "fill", json.number("fill"));
        int anchor = json.integer("anchor");
        int row = json.integer("row");
        int column = json.integer("column");
        List<Float> values = json.numbers("values").stream().map(value -> toFloat(json, "values", value)).toList();
        List<ExampleDetection> detections = json.objects("detections").stream().map(ExampleDetection::read).toList();
        return json.build(() -> new DecodeExample(imageWidth, imageHeight, fill, anchor, row, column, values, detections));
    }

    private static float toFloat(JsonFields json, String name, double value) {
        if ((float) value != value) {
            throw json.bad(name, "must hold float32 values, got " + value);
        }
        return (float) value;
    }

    /**
     * One detection of the example.
     *
     * @param inputBox the box in pixels of the network input (before the letterbox or resize is undone)
     * @param imageBox the box in pixels of the example image, not clipped
     */
    public record ExampleDetection(int classId, String className, double score, BoundingBox inputBox, BoundingBox imageBox) {
        public ExampleDetection {
            requireNonNull(className, "className");
            requireNonNull(inputBox, "inputBox");
            requireNonNull(imageBox, "imageBox");
            new Detection(classId, score, imageBox);
        }

        void write(ObjectNode json) {
            json.put("classId", classId);
            json.put("className", className);
            json.put("score", score);
            writeBox(json.putObject("inputBox"), inputBox);
            writeBox(json.putObject("imageBox"), imageBox);
        }

        static ExampleDetection read(JsonFields json) {
            int classId = json.integer("classId");
            String className = json.text("className");
            double score = json.number("score");
            BoundingBox inputBox = readBox(json.object("inputBox"));
            BoundingBox imageBox = readBox(json.object("imageBox"));
            return json.build(() -> new ExampleDetection(classId, className, score, inputBox, imageBox));
        }

        private static void writeBox(ObjectNode json, BoundingBox box) {
            json.put("xmin", box.xmin());
            json.put("ymin", box.ymin());
            json.put("xmax", box.xmax());
            json.put("ymax", box.ymax());
        }

        private static BoundingBox readBox(JsonFields json) {
            double xmin = json.number("xmin");
            double ymin = json.number("ymin");
            double xmax = json.number("xmax");
            double ymax = json.number("ymax");
            return json.build(() -> new BoundingBox(xmin, ymin, xmax, ymax));
        }
    }
}

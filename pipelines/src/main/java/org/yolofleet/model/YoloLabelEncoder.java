package org.yolofleet.model;

import org.nd4j.linalg.factory.Nd4j;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;

import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Turns the objects of images into the labels the region layer ({@link RegionOutputLayer}, the layout of DL4J's {@code Yolo2OutputLayer}) trains on: per image
 * {@code [4 + classes, gridHeight, gridWidth]}, where the grid cell holding an object's box centre gets the box corners
 * {@code x1, y1, x2, y2} in grid units (0 to gridWidth, 0 to gridHeight) and a one-hot class; other cells are 0.
 *
 * <p>Boxes come in normalised network space ({@link LabelledNetworkBox}); they are clipped to the image, and a box with no
 * area inside it (outside, or of zero width or height) is left out (counted as {@link LabelCounts#outside()}). The
 * layer holds one object per cell: when several box centres fall in one cell, the largest box (by clipped area; the
 * first given on a tie) is kept and the others are counted as {@link LabelCounts#collisions()}, so callers can report
 * how many objects training never sees.
 * A class id outside {@code [0, classes)} is a {@link ErrorCode#BAD_ANNOTATION}.
 */
public final class YoloLabelEncoder {
    private static final int COORDINATES = 4;

    private final int classes;
    private final int gridWidth;
    private final int gridHeight;

    public YoloLabelEncoder(int classes, int gridWidth, int gridHeight) {
        if (classes < 1 || gridWidth < 1 || gridHeight < 1) {
            throw new IllegalArgumentException("classes and grid size must be positive, got " + classes + " classes, grid "
                    + gridWidth + " x " + gridHeight);
        }
        this.classes = classes;
        this.gridWidth = gridWidth;
        this.gridHeight = gridHeight;
    }

    public static YoloLabelEncoder forSpec(ModelSpec spec) {
        return new YoloLabelEncoder(spec.classCount(), spec.gridWidth(), spec.gridHeight());
    }

    /** Values per image: {@code (4 + classes) * gridHeight * gridWidth}. */
    public int valuesPerImage() {
        return (COORDINATES + classes) * gridHeight * gridWidth;
    }

    /** The labels of a minibatch, one list of objects per image (an empty list for an image without objects). */
    public EncodedLabels encode(List<? extends List<LabelledNetworkBox>> images) {
        requireNonNull(images, "images");
        if (images.isEmpty()) {
            throw new IllegalArgumentException("a minibatch needs at least one image");
        }
        float[] values = new float[images.size() * valuesPerImage()];
        LabelCounts counts = LabelCounts.NONE;
        for (int image = 0; image < images.size(); image++) {
            counts = counts.plus(encodeInto(images.get(image), values, image * valuesPerImage()));
        }
        return new EncodedLabels(Nd4j.create(values, new long[] {images.size(), COORDINATES + classes, gridHeight, gridWidth}, 'c'), counts);
    }

    /**
     * Writes one image's labels into {@code destination} from {@code offset} ({@link #valuesPerImage()} values, CHW),
     * overwriting what was there.
     */
    public LabelCounts encodeInto(List<LabelledNetworkBox> boxes, float[] destination, int offset) {
        requireNonNull(boxes, "boxes");
        requireNonNull(destination, "destination");
        if (offset < 0 || offset + valuesPerImage() > destination.length) {
            throw new IllegalArgumentException("destination of " + destination.length + " values has no room for " + valuesPerImage()
                    + " at offset " + offset);
        }
        Arrays.fill(destination, offset, offset + valuesPerImage(), 0f);
        int cells = gridHeight * gridWidth;
        BoundingBox[] kept = new BoundingBox[cells];
        int[] keptClass = new int[cells];
        long outside = 0;
        long collisions = 0;
        for (LabelledNetworkBox labelled : boxes) {
            if (labelled.classId() >= classes) {
                throw new YoloFleetException(ErrorCode.BAD_ANNOTATION, "class id " + labelled.classId() + " is outside the model's "
                        + classes + " classes");
            }
            BoundingBox box = labelled.box().clip(1, 1);
            if (box.width() <= 0 || box.height() <= 0) {
                outside++;
                continue;
            }
            int column = Math.min((int) Math.floor(box.centerX() * gridWidth), gridWidth - 1);
            int row = Math.min((int) Math.floor(box.centerY() * gridHeight), gridHeight - 1);
            int cell = row * gridWidth + column;
            if (kept[cell] != null) {
                collisions++;
                if (box.area() <= kept[cell].area()) {
                    continue;
                }
            }
            kept[cell] = box;
            keptClass[cell] = labelled.classId();
        }
        long encoded = 0;
        for (int cell = 0; cell < cells; cell++) {
            BoundingBox box = kept[cell];
            if (box == null) {
                continue;
            }
            encoded++;
            destination[offset + cell] = (float) (box.xmin() * gridWidth);
            destination[offset + cells + cell] = (float) (box.ymin() * gridHeight);
            destination[offset + 2 * cells + cell] = (float) (box.xmax() * gridWidth);
            destination[offset + 3 * cells + cell] = (float) (box.ymax() * gridHeight);
            destination[offset + (COORDINATES + keptClass[cell]) * cells + cell] = 1f;
        }
        return new LabelCounts(boxes.size(), encoded, collisions, outside);
    }
}

package org.yolofleet.core.detect;

import org.yolofleet.core.model.Anchor;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Decodes the raw output of a YOLOv2 region layer into detections in pixels of the original image.
 *
 * <p>The output is one image's tensor {@code [A * (5 + C), H, W]} in row-major (NCHW without the batch) order, as
 * Darknet, ONNX runtimes and DL4J lay it out: for anchor {@code a} the channels {@code a * (5 + C)} onwards hold
 * {@code tx, ty, tw, th}, the objectness logit and the {@code C} class logits. For the cell at {@code (row, col)}:
 * <pre>
 *   x = (col + sigmoid(tx)) / W          w = anchorWidth(a)  * exp(tw) / W
 *   y = (row + sigmoid(ty)) / H          h = anchorHeight(a) * exp(th) / H
 *   score(c) = sigmoid(objectness) * softmax(class logits)(c)
 * </pre>
 * giving a box normalised to the network input, which {@link Letterbox#toImage} maps to the original image. Every
 * (box, class) pair with {@code score >= threshold} becomes a detection, so one box can yield several classes
 * (Darknet keeps {@code score > thresh}; the two differ only for a score exactly at the threshold).
 * Boxes are not clipped to the image (Darknet clips only when it prints); a box whose size overflows
 * ({@code exp(tw)} beyond double range) or any non-finite value is skipped.
 *
 * <p>Built for speed: the softmax is computed once per cell and anchor, a cell-anchor is skipped as soon as
 * {@code sigmoid(objectness)} or {@code sigmoid(objectness) * max class probability} is below the threshold, and
 * candidates live in primitive arrays until {@link #detect} returns the survivors of suppression. Instances are
 * immutable and thread-safe.
 *
 * <pre>{@code
 * RegionDecoder decoder = new RegionDecoder(13, 13, new double[] {1.08, 1.19, 3.42, 4.41, ...}, 20);
 * List<Detection> detections = decoder.detect(
 *         output, Letterbox.letterbox(imageWidth, imageHeight, 416, 416), 0.005, NonMaxSuppression.withIouThreshold(0.45));
 * }</pre>
 */
public final class RegionDecoder {
    private static final int BOX_CHANNELS = 5;
    private static final int OBJECTNESS_CHANNEL = 4;

    private final int gridWidth;
    private final int gridHeight;
    private final double[] anchors;
    private final int classes;

    /** A decoder for a region layer whose anchors (in grid cells) are given as {@link Anchor}s. */
    public static RegionDecoder of(int gridWidth, int gridHeight, List<Anchor> anchors, int classes) {
        requireNonNull(anchors, "anchors");
        double[] sizes = new double[2 * anchors.size()];
        for (int index = 0; index < anchors.size(); index++) {
            sizes[2 * index] = anchors.get(index).width();
            sizes[2 * index + 1] = anchors.get(index).height();
        }
        return new RegionDecoder(gridWidth, gridHeight, sizes, classes);
    }

    /**
     * @param gridWidth {@code W}, the output width in cells (input width / 32 for Tiny-YOLOv2)
     * @param gridHeight {@code H}, the output height in cells
     * @param anchors the anchor sizes as {@code (width, height)} pairs in grid cells, Darknet's {@code anchors}
     * @param classes {@code C}, the number of classes
     */
    public RegionDecoder(int gridWidth, int gridHeight, double[] anchors, int classes) {
        if (gridWidth < 1 || gridHeight < 1) {
            throw new IllegalArgumentException("grid must be at least 1 x 1 cells, got " + gridWidth + " x " + gridHeight);
        }
        requireNonNull(anchors, "anchors");
        if (anchors.length == 0 || anchors.length % 2 != 0) {
            throw new IllegalArgumentException("anchors must be a non-empty list of (width, height) pairs, got " + anchors.length + " values");
        }
        for (double anchor : anchors) {
            if (!(anchor > 0 && Double.isFinite(anchor))) {
                throw new IllegalArgumentException("anchor sizes must be positive and finite, got " + anchor);
            }
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        }
        this.gridWidth = gridWidth;
        this.gridHeight = gridHeight;
        this.anchors = anchors.clone();
        this.classes = classes;
    }

    /** The same as {@link #RegionDecoder(int, int, double[], int)} with {@code float} anchors, as stored in weights files. */
    public RegionDecoder(int gridWidth, int gridHeight, float[] anchors, int classes) {
        this(gridWidth, gridHeight, toDoubles(requireNonNull(anchors, "anchors")), classes);
    }

    public int gridWidth() {
        return gridWidth;
    }

    public int gridHeight() {
        return gridHeight;
    }

    public int anchorCount() {
        return anchors.length / 2;
    }

    public int classes() {
        return classes;
    }

    /** The number of floats in one image's output tensor, {@code A * (5 + C) * H * W}. */
    public int outputLength() {
        return anchorCount() * (BOX_CHANNELS + classes) * gridHeight * gridWidth;
    }

    /** Decodes and suppresses: the detections of one image, by descending score. */
    public List<Detection> detect(float[] output, Letterbox letterbox, double threshold, NonMaxSuppression suppression) {
        return detect(output, 0, letterbox, threshold, suppression);
    }

    /** As {@link #detect(float[], Letterbox, double, NonMaxSuppression)} for the tensor starting at {@code offset}, one image of a batch. */
    public List<Detection> detect(float[] output, int offset, Letterbox letterbox, double threshold, NonMaxSuppression suppression) {
        requireNonNull(suppression, "suppression");
        CandidateBuffer candidates = decodeCandidates(output, offset, letterbox, threshold);
        return candidates.detections(suppression.keep(candidates));
    }

    /** Every (box, class) pair scoring at least {@code threshold}, without suppression, in tensor order. */
    public List<Detection> decode(float[] output, Letterbox letterbox, double threshold) {
        return decode(output, 0, letterbox, threshold);
    }

    /** As {@link #decode(float[], Letterbox, double)} for the tensor starting at {@code offset}, one image of a batch. */
    public List<Detection> decode(float[] output, int offset, Letterbox letterbox, double threshold) {
        return decodeCandidates(output, offset, letterbox, threshold).detections();
    }

    CandidateBuffer decodeCandidates(float[] output, int offset, Letterbox letterbox, double threshold) {
        requireNonNull(output, "output");
        requireNonNull(letterbox, "letterbox");
        if (offset < 0 || (long) offset + outputLength() > output.length) {
            throw new IllegalArgumentException("output of " + output.length + " floats has no tensor of " + outputLength()
                    + " floats (" + anchorCount() + " anchors x (5 + " + classes + ") x " + gridHeight + " x " + gridWidth + ") at offset " + offset);
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("score threshold must be in [0, 1], got " + threshold);
        }
        int cells = gridWidth * gridHeight;
        int anchorStride = (BOX_CHANNELS + classes) * cells;
        double[] exponentials = new double[classes];
        CandidateBuffer candidates = new CandidateBuffer(1024);
        for (int anchor = 0; anchor < anchorCount(); anchor++) {
            int anchorBase = offset + anchor * anchorStride;
            double anchorWidth = anchors[2 * anchor];
            double anchorHeight = anchors[2 * anchor + 1];
            for (int row = 0; row < gridHeight; row++) {
                for (int col = 0; col < gridWidth; col++) {
                    int cellBase = anchorBase + row * gridWidth + col;
                    double objectness = sigmoid(output[cellBase + OBJECTNESS_CHANNEL * cells]);
                    // class probabilities are at most 1; the comparison is false for NaN
                    if (!(objectness >= threshold)) {
                        continue;
                    }
                    int classBase = cellBase + BOX_CHANNELS * cells;
                    double maximumLogit = Double.NEGATIVE_INFINITY;
                    for (int classId = 0; classId < classes; classId++) {
                        maximumLogit = Math.max(maximumLogit, output[classBase + classId * cells]);
                    }
                    double sum = 0;
                    for (int classId = 0; classId < classes; classId++) {
                        double exponential = Math.exp(output[classBase + classId * cells] - maximumLogit);
                        exponentials[classId] = exponential;
                        sum += exponential;
                    }
                    // the best class has exponential 1, so its score is objectness / sum
                    double scale = objectness / sum;
                    if (!(scale >= threshold)) {
                        continue;
                    }
                    double centerX = (col + sigmoid(output[cellBase])) / gridWidth;
                    double centerY = (row + sigmoid(output[cellBase + cells])) / gridHeight;
                    double halfWidth = anchorWidth * Math.exp(output[cellBase + 2 * cells]) / gridWidth / 2;
                    double halfHeight = anchorHeight * Math.exp(output[cellBase + 3 * cells]) / gridHeight / 2;
                    double xmin = letterbox.imageX(centerX - halfWidth);
                    double ymin = letterbox.imageY(centerY - halfHeight);
                    double xmax = letterbox.imageX(centerX + halfWidth);
                    double ymax = letterbox.imageY(centerY + halfHeight);
                    if (!isFinite(xmin, ymin, xmax, ymax)) {
                        continue;
                    }
                    for (int classId = 0; classId < classes; classId++) {
                        double score = scale * exponentials[classId];
                        if (score >= threshold) {
                            candidates.add(classId, score, xmin, ymin, xmax, ymax);
                        }
                    }
                }
            }
        }
        return candidates;
    }

    private static boolean isFinite(double xmin, double ymin, double xmax, double ymax) {
        return Double.isFinite(xmin) && Double.isFinite(ymin) && Double.isFinite(xmax) && Double.isFinite(ymax);
    }

    private static double sigmoid(double value) {
        return 1 / (1 + Math.exp(-value));
    }

    private static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int index = 0; index < values.length; index++) {
            doubles[index] = values[index];
        }
        return doubles;
    }
}

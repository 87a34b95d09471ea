package org.yolofleet.model;

import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.RegionLayer;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The YOLOv2 region loss as Darknet's {@code [region]} layer trains it, on one image's raw region tensor
 * ({@code [anchors * (5 + classes), H, W]}, CHW, the last convolution's output) and labels in the
 * {@link YoloLabelEncoder} layout ({@code [4 + classes, H, W]}: box corners in grid units and a one-hot class in the cell
 * of the box centre).
 *
 * <p>Darknet writes its deltas straight onto the raw outputs; this class states the loss those deltas are the gradient
 * of, so the value it reports falls to 0 for a perfect prediction and the gradient can be checked numerically:
 * <ul>
 *   <li>every prediction whose box overlaps no object by more than {@code thresh} (IoU): objectness pushed to 0,
 *       {@code noobject_scale * BCE(sigmoid(t_o), 0)};</li>
 *   <li>each object: the anchor of its cell whose shape fits it best ({@code bias_match}) is responsible: objectness
 *       towards the IoU of its box with the object ({@code rescore}; 1 without), {@code object_scale * (BCE(sigmoid(t_o),
 *       iou) - H(iou))}, the IoU taken as a constant; centre {@code coord_scale * (2 - w * h) * (BCE(sigmoid(t_x), x*) -
 *       H(x*))} and the same for y, with x* the centre's offset in its cell and w, h the object's share of the image;
 *       size {@code coord_scale * (2 - w * h) * (t_w - ln(w_grid / anchor_w))^2 / 2} and the same for h; class
 *       {@code class_scale * cross-entropy(softmax(t_c), class)}.</li>
 * </ul>
 * Differences from DL4J's {@code Yolo2OutputLayer}, which trains poorly on our data: the responsible anchor is chosen by
 * shape as Darknet's {@code bias_match}, not by the predicted box; the objectness target does not pull the box towards
 * the predicted confidence (DL4J back-propagates the squared confidence error into the IoU); predictions that already
 * overlap an object are not punished as background ({@code thresh}); classes use cross-entropy, not squared error on
 * the softmax, and sizes are regressed in log space, not as square roots.
 */
public final class RegionLoss implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final int COORDINATES = 4;

    private final double[] anchors;
    private final int classes;
    private final Scales scales;

    /** Darknet's {@code [region]} training settings. */
    public record Scales(double coordinates, double object, double noObject, double classes, double ignoreThreshold, boolean rescore,
                         boolean biasMatch) implements Serializable {
        public Scales {
            if (!(coordinates >= 0 && object >= 0 && noObject >= 0 && classes >= 0)) {
                throw new IllegalArgumentException("region loss scales must be non-negative, got coord " + coordinates + ", object " + object
                        + ", noobject " + noObject + ", class " + classes);
            }
            if (!(ignoreThreshold >= 0 && ignoreThreshold <= 1)) {
                throw new IllegalArgumentException("region thresh must be in [0, 1], got " + ignoreThreshold);
            }
        }

        public static Scales of(RegionLayer region) {
            return new Scales(region.coordinateScale(), region.objectScale(), region.noObjectScale(), region.classScale(),
                    region.threshold(), region.rescore(), region.biasMatch());
        }
    }

    /** Anchors as width, height pairs in grid cells. */
    public RegionLoss(double[] anchors, int classes, Scales scales) {
        requireNonNull(anchors, "anchors");
        if (anchors.length == 0 || anchors.length % 2 != 0) {
            throw new IllegalArgumentException("anchors must be width, height pairs, got " + anchors.length + " values");
        }
        for (double value : anchors) {
            if (!(value > 0)) {
                throw new IllegalArgumentException("anchor sizes must be positive, got " + value);
            }
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        }
        this.anchors = anchors.clone();
        this.classes = classes;
        this.scales = requireNonNull(scales, "scales");
    }

    public static RegionLoss of(RegionLayer region) {
        List<Anchor> list = region.anchors();
        double[] pairs = new double[2 * list.size()];
        for (int index = 0; index < list.size(); index++) {
            pairs[2 * index] = list.get(index).width();
            pairs[2 * index + 1] = list.get(index).height();
        }
        return new RegionLoss(pairs, region.classes(), Scales.of(region));
    }

    /** The anchors as width, height pairs in grid cells. */
    public double[] anchors() {
        return anchors.clone();
    }

    public int anchorCount() {
        return anchors.length / 2;
    }

    public int classes() {
        return classes;
    }

    public Scales scales() {
        return scales;
    }

    /** Values of one image's region tensor for a {@code gridWidth x gridHeight} grid. */
    public int outputLength(int gridWidth, int gridHeight) {
        return anchorCount() * (5 + classes) * gridWidth * gridHeight;
    }

    /** Values of one image's labels for a {@code gridWidth x gridHeight} grid. */
    public int labelLength(int gridWidth, int gridHeight) {
        return (COORDINATES + classes) * gridWidth * gridHeight;
    }

    private record Truth(double x, double y, double width, double height, int classId, int row, int column) {
    }

    /**
     * The loss of one image; when {@code gradient} is not null, also writes dLoss/dOutput there (same layout as the
     * output, from {@code gradientOffset}, overwriting).
     */
    public double compute(float[] output, int outputOffset, float[] labels, int labelOffset, int gridWidth, int gridHeight,
                          float[] gradient, int gradientOffset) {
        int cells = gridWidth * gridHeight;
        int entries = 5 + classes;
        List<Truth> truths = truths(labels, labelOffset, gridWidth, gridHeight);
        if (gradient != null) {
            Arrays.fill(gradient, gradientOffset, gradientOffset + outputLength(gridWidth, gridHeight), 0f);
        }
        double loss = 0;
        // background: objectness towards 0 unless the box already overlaps an object
        for (int anchor = 0; anchor < anchorCount(); anchor++) {
            for (int cell = 0; cell < cells; cell++) {
                double[] box = predictedBox(output, outputOffset, anchor, cell, gridWidth, gridHeight);
                if (iouWithAny(box, truths) > scales.ignoreThreshold()) {
                    continue;
                }
                int at = outputOffset + (anchor * entries + 4) * cells + cell;
                loss += scales.noObject() * binaryCrossEntropy(output[at], 0);
                if (gradient != null) {
                    gradient[gradientOffset + (at - outputOffset)] = (float) (scales.noObject() * sigmoid(output[at]));
                }
            }
        }
        for (Truth truth : truths) {
            int cell = truth.row() * gridWidth + truth.column();
            int anchor = responsibleAnchor(output, outputOffset, truth, cell, gridWidth, gridHeight);
            int base = anchor * entries * cells + cell;
            // the responsible prediction's objectness replaces its background term
            int objectness = base + 4 * cells;
            double[] box = predictedBox(output, outputOffset, anchor, cell, gridWidth, gridHeight);
            if (iouWithAny(box, truths) <= scales.ignoreThreshold()) {
                loss -= scales.noObject() * binaryCrossEntropy(output[outputOffset + objectness], 0);
            }
            double target = scales.rescore() ? iou(box, truth) : 1;
            loss += scales.object() * (binaryCrossEntropy(output[outputOffset + objectness], target) - entropy(target));
            set(gradient, gradientOffset + objectness, scales.object() * (sigmoid(output[outputOffset + objectness]) - target));

            double scale = scales.coordinates() * (2 - (truth.width() / gridWidth) * (truth.height() / gridHeight));
            double[] targets = {
                    truth.x() - truth.column(),
                    truth.y() - truth.row(),
                    Math.log(truth.width() / anchors[2 * anchor]),
                    Math.log(truth.height() / anchors[2 * anchor + 1])};
            for (int coordinate = 0; coordinate < COORDINATES; coordinate++) {
                int at = base + coordinate * cells;
                double raw = output[outputOffset + at];
                if (coordinate < 2) {
                    loss += scale * (binaryCrossEntropy(raw, targets[coordinate]) - entropy(targets[coordinate]));
                    set(gradient, gradientOffset + at, scale * (sigmoid(raw) - targets[coordinate]));
                } else {
                    double difference = raw - targets[coordinate];
                    loss += scale * difference * difference / 2;
                    set(gradient, gradientOffset + at, scale * difference);
                }
            }

            double[] probabilities = softmax(output, outputOffset + base + 5 * cells, cells);
            loss -= scales.classes() * Math.log(Math.max(probabilities[truth.classId()], Double.MIN_NORMAL));
            for (int classId = 0; classId < classes; classId++) {
                set(gradient, gradientOffset + base + (5 + classId) * cells,
                        scales.classes() * (probabilities[classId] - (classId == truth.classId() ? 1 : 0)));
            }
        }
        return loss;
    }

    private static void set(float[] gradient, int index, double value) {
        if (gradient != null) {
            gradient[index] = (float) value;
        }
    }

    private List<Truth> truths(float[] labels, int offset, int gridWidth, int gridHeight) {
        int cells = gridWidth * gridHeight;
        List<Truth> truths = new ArrayList<>();
        for (int cell = 0; cell < cells; cell++) {
            int classId = -1;
            for (int candidate = 0; candidate < classes; candidate++) {
                if (labels[offset + (COORDINATES + candidate) * cells + cell] > 0.5f) {
                    classId = candidate;
                    break;
                }
            }
            if (classId < 0) {
                continue;
            }
            double x1 = labels[offset + cell];
            double y1 = labels[offset + cells + cell];
            double x2 = labels[offset + 2 * cells + cell];
            double y2 = labels[offset + 3 * cells + cell];
            if (!(x2 > x1 && y2 > y1)) {
                continue;
            }
            truths.add(new Truth((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1, classId, cell / gridWidth, cell % gridWidth));
        }
        return truths;
    }

    /** Darknet's choice: by anchor shape against the object's ({@code bias_match}), else by the predicted box's shape. */
    private int responsibleAnchor(float[] output, int offset, Truth truth, int cell, int gridWidth, int gridHeight) {
        int best = 0;
        double bestIou = -1;
        for (int anchor = 0; anchor < anchorCount(); anchor++) {
            double width;
            double height;
            if (scales.biasMatch()) {
                width = anchors[2 * anchor];
                height = anchors[2 * anchor + 1];
            } else {
                double[] box = predictedBox(output, offset, anchor, cell, gridWidth, gridHeight);
                width = box[2];
                height = box[3];
            }
            double intersection = Math.min(width, truth.width()) * Math.min(height, truth.height());
            double shapeIou = intersection / (width * height + truth.width() * truth.height() - intersection);
            if (shapeIou > bestIou) {
                bestIou = shapeIou;
                best = anchor;
            }
        }
        return best;
    }

    /** Centre x, y and width, height of a prediction, in grid cells. */
    private double[] predictedBox(float[] output, int offset, int anchor, int cell, int gridWidth, int gridHeight) {
        int cells = gridWidth * gridHeight;
        int base = offset + anchor * (5 + classes) * cells + cell;
        return new double[] {
                cell % gridWidth + sigmoid(output[base]),
                cell / gridWidth + sigmoid(output[base + cells]),
                anchors[2 * anchor] * Math.exp(output[base + 2 * cells]),
                anchors[2 * anchor + 1] * Math.exp(output[base + 3 * cells])};
    }

    private static double iouWithAny(double[] box, List<Truth> truths) {
        double best = 0;
        for (Truth truth : truths) {
            best = Math.max(best, iou(box, truth));
        }
        return best;
    }

    private static double iou(double[] box, Truth truth) {
        double width = Math.min(box[0] + box[2] / 2, truth.x() + truth.width() / 2) - Math.max(box[0] - box[2] / 2, truth.x() - truth.width() / 2);
        double height = Math.min(box[1] + box[3] / 2, truth.y() + truth.height() / 2) - Math.max(box[1] - box[3] / 2, truth.y() - truth.height() / 2);
        if (width <= 0 || height <= 0) {
            return 0;
        }
        double intersection = width * height;
        double union = box[2] * box[3] + truth.width() * truth.height() - intersection;
        return union > 0 && Double.isFinite(union) ? intersection / union : 0;
    }

    private double[] softmax(float[] output, int first, int stride) {
        double max = Double.NEGATIVE_INFINITY;
        for (int classId = 0; classId < classes; classId++) {
            max = Math.max(max, output[first + classId * stride]);
        }
        double[] probabilities = new double[classes];
        double sum = 0;
        for (int classId = 0; classId < classes; classId++) {
            probabilities[classId] = Math.exp(output[first + classId * stride] - max);
            sum += probabilities[classId];
        }
        for (int classId = 0; classId < classes; classId++) {
            probabilities[classId] /= sum;
        }
        return probabilities;
    }

    static double sigmoid(double value) {
        return 1 / (1 + Math.exp(-value));
    }

    /** Binary cross-entropy of sigmoid(logit) against a target in [0, 1], computed stably from the logit. */
    static double binaryCrossEntropy(double logit, double target) {
        return Math.max(logit, 0) - logit * target + Math.log1p(Math.exp(-Math.abs(logit)));
    }

    /** The entropy of a Bernoulli target: the least its binary cross-entropy can be. */
    static double entropy(double target) {
        double entropy = 0;
        if (target > 0) {
            entropy -= target * Math.log(target);
        }
        if (target < 1) {
            entropy -= (1 - target) * Math.log(1 - target);
        }
        return entropy;
    }
}

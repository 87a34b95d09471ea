package org.yolofleet.core.model;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Darknet's {@code [region]} layer, the YOLOv2 detection head: for every grid cell and anchor, 4 box coordinates,
 * an objectness score and {@code classes} class scores, so the layer before it must output
 * {@link #outputChannels()} channels.
 *
 * <p>Names follow the cfg keys without abbreviations: {@code coords} is {@link #coordinates()}, {@code num} is
 * {@link #anchorCount()}, {@code object_scale} is {@link #objectScale()}, {@code noobject_scale} is
 * {@link #noObjectScale()}, {@code class_scale} is {@link #classScale()}, {@code coord_scale} is
 * {@link #coordinateScale()}, {@code thresh} is {@link #threshold()}, {@code random} is {@link #multiScaleTraining()}
 * and {@code bias_match} is {@link #biasMatch()}.
 *
 * @param anchors the prior boxes, in grid cells
 * @param coordinates box coordinates per prediction; only 4 (x, y, w, h) is supported
 * @param softmax class scores through a softmax (rather than independent logistics)
 * @param jitter training-time crop jitter, a fraction of the image size
 * @param rescore train objectness towards the IoU with the truth rather than towards 1
 * @param absolute Darknet's {@code absolute} flag, kept for round trips
 * @param threshold IoU above which a prediction that is not responsible for a truth is not penalised as background
 * @param multiScaleTraining resize the network to a random multiple of 32 every 10 batches while training
 * @param biasMatch match truths to anchors by anchor shape only, when training
 */
public record RegionLayer(
        List<Anchor> anchors,
        int classes,
        int coordinates,
        boolean softmax,
        double jitter,
        boolean rescore,
        double objectScale,
        double noObjectScale,
        double classScale,
        double coordinateScale,
        boolean absolute,
        double threshold,
        boolean multiScaleTraining,
        boolean biasMatch)
        implements LayerSpec {
    /** The only number of box coordinates YOLOv2 uses. */
    public static final int COORDINATES = 4;

    public RegionLayer {
        anchors = List.copyOf(requireNonNull(anchors, "anchors"));
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("region needs at least one anchor");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("region classes must be at least 1, got " + classes);
        }
        if (coordinates != COORDINATES) {
            throw new IllegalArgumentException("region coords must be " + COORDINATES + ", got " + coordinates);
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("region jitter must be in [0, 1), got " + jitter);
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("region thresh must be in [0, 1], got " + threshold);
        }
        requireScale("object_scale", objectScale);
        requireScale("noobject_scale", noObjectScale);
        requireScale("class_scale", classScale);
        requireScale("coord_scale", coordinateScale);
    }

    private static void requireScale(String name, double value) {
        if (!(value >= 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException("region " + name + " must be finite and not negative, got " + value);
        }
    }

    /** Darknet's {@code num}: the number of anchors, so of predictions per grid cell. */
    public int anchorCount() {
        return anchors.size();
    }

    /** Values per prediction: box coordinates, objectness, one score per class. */
    public int valuesPerAnchor() {
        return coordinates + 1 + classes;
    }

    /** The channels the region layer reads from the layer before it: {@code num * (coords + 1 + classes)}. */
    public int outputChannels() {
        return anchorCount() * valuesPerAnchor();
    }

    public RegionLayer withClasses(int newClasses) {
        return new RegionLayer(anchors, newClasses, coordinates, softmax, jitter, rescore, objectScale, noObjectScale,
                classScale, coordinateScale, absolute, threshold, multiScaleTraining, biasMatch);
    }

    /** The same head trained with other loss scales and objectness target (Darknet's cfg keys of the same names). */
    public RegionLayer withLoss(double newObjectScale, double newNoObjectScale, double newClassScale, double newCoordinateScale,
                                boolean newRescore) {
        return new RegionLayer(anchors, classes, coordinates, softmax, jitter, newRescore, newObjectScale, newNoObjectScale,
                newClassScale, newCoordinateScale, absolute, threshold, multiScaleTraining, biasMatch);
    }

    public RegionLayer withAnchors(List<Anchor> newAnchors) {
        return new RegionLayer(newAnchors, classes, coordinates, softmax, jitter, rescore, objectScale, noObjectScale,
                classScale, coordinateScale, absolute, threshold, multiScaleTraining, biasMatch);
    }

    /** The region layer only interprets its input: the shape is unchanged. */
    @Override
    public TensorShape outputShape(TensorShape input) {
        if (input.channels() != outputChannels()) {
            throw new IllegalArgumentException("region with " + anchorCount() + " anchors and " + classes + " classes needs "
                    + anchorCount() + " * (" + coordinates + " + 1 + " + classes + ") = " + outputChannels()
                    + " input channels, the layer before it gives " + input.channels());
        }
        return input;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitRegion(this);
    }
}

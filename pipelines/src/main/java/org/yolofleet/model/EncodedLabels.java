package org.yolofleet.model;

import org.nd4j.linalg.api.ndarray.INDArray;

import static java.util.Objects.requireNonNull;

/** Labels for DL4J's {@code Yolo2OutputLayer}, {@code [minibatch, 4 + classes, gridHeight, gridWidth]}, with their counts. */
public record EncodedLabels(INDArray labels, LabelCounts counts) {
    public EncodedLabels {
        requireNonNull(labels, "labels");
        requireNonNull(counts, "counts");
    }
}

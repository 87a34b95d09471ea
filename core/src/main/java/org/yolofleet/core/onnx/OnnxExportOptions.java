package org.yolofleet.core.onnx;

import static java.util.Objects.requireNonNull;

/**
 * How {@link OnnxExporter} expresses the parts of Darknet's network that ONNX offers more than one way to write. Every
 * choice computes what Darknet computes; they differ in graph shape, which matters to tool chains that accept only
 * some operators.
 */
public record OnnxExportOptions(BatchNormalization batchNormalization, MaxPoolPadding maxPoolPadding) {
    /** Batch normalisation folded into the convolutions, max-pool padding as MaxPool pads: the smallest graph. */
    public static final OnnxExportOptions DEFAULTS = new OnnxExportOptions(BatchNormalization.FOLD, MaxPoolPadding.MAX_POOL_PADS);

    public OnnxExportOptions {
        requireNonNull(batchNormalization, "batchNormalization");
        requireNonNull(maxPoolPadding, "maxPoolPadding");
    }

    public OnnxExportOptions withBatchNormalization(BatchNormalization newBatchNormalization) {
        return new OnnxExportOptions(newBatchNormalization, maxPoolPadding);
    }

    public OnnxExportOptions withMaxPoolPadding(MaxPoolPadding newMaxPoolPadding) {
        return new OnnxExportOptions(batchNormalization, newMaxPoolPadding);
    }

    /** Where Darknet's inference batch normalisation {@code scale * (x - mean) / (sqrt(variance) + 1e-6) + bias} goes. */
    public enum BatchNormalization {
        /**
         * Into the convolution: weights times {@code scale / (sqrt(variance) + 1e-6)}, bias {@code bias - mean * scale /
         * (sqrt(variance) + 1e-6)}, computed in double precision and rounded once to float.
         */
        FOLD,
        /**
         * A BatchNormalization node after a bias-free Conv. ONNX divides by {@code sqrt(variance + epsilon)}, so the node
         * gets the variance {@code (sqrt(variance) + 1e-6)^2 - epsilon} (double precision) and Darknet's formula holds.
         */
        KEEP
    }

    /**
     * How the padding of Darknet's maxpool (minus infinity, on the right and bottom for size 2) is written, where a
     * window reads it: in Tiny-YOLOv2 only the size-2 stride-1 maxpool that keeps 13 x 13.
     */
    public enum MaxPoolPadding {
        /** MaxPool's own {@code pads}: ONNX max pooling never picks a padded value, as if it were minus infinity. */
        MAX_POOL_PADS,
        /**
         * A Pad node (mode {@code edge}) before an unpadded MaxPool: every window that reads a replicated value also
         * reads the value it replicates, so the maximum is Darknet's. For runtimes without asymmetric MaxPool pads.
         */
        EDGE_PAD
    }
}

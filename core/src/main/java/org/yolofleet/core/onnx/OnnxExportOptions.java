package org.yolofleet.core.onnx;

import static java.util.Objects.requireNonNull;

/**
 * How {@link OnnxExporter} expresses the parts of Darknet's network that ONNX offers more than one way to write. Every
 * batch-normalisation and max-pool choice computes what Darknet computes; they differ in graph shape, which matters to
 * tool chains that accept only some operators. The {@link Precision} chooses the number format: float32 computes what
 * Darknet computes, float16 approximates it for half-precision accelerators.
 */
public record OnnxExportOptions(BatchNormalization batchNormalization, MaxPoolPadding maxPoolPadding, Precision precision) {
    /**
     * Batch normalisation folded into the convolutions, max-pool padding as MaxPool pads, float32: the smallest graph,
     * exact.
     */
    public static final OnnxExportOptions DEFAULTS = new OnnxExportOptions(BatchNormalization.FOLD, MaxPoolPadding.MAX_POOL_PADS);

    /**
     * @throws IllegalArgumentException for {@link Precision#FLOAT16} with {@link BatchNormalization#KEEP}: the kept
     *                                  node's variances (down to 1e-12 for Darknet's {@code sqrt(0) + 1e-6}) are below
     *                                  half's smallest value (2^-24, about 6e-8) and would become 0
     */
    public OnnxExportOptions {
        requireNonNull(batchNormalization, "batchNormalization");
        requireNonNull(maxPoolPadding, "maxPoolPadding");
        requireNonNull(precision, "precision");
        if (precision == Precision.FLOAT16 && batchNormalization == BatchNormalization.KEEP) {
            throw new IllegalArgumentException("a FLOAT16 export folds batch normalisation (BatchNormalization.FOLD): a kept "
                    + "BatchNormalization node's variances (down to 1e-12) underflow half precision, whose smallest value is 6e-8");
        }
    }

    /** Float32 options. */
    public OnnxExportOptions(BatchNormalization batchNormalization, MaxPoolPadding maxPoolPadding) {
        this(batchNormalization, maxPoolPadding, Precision.FLOAT32);
    }

    public OnnxExportOptions withBatchNormalization(BatchNormalization newBatchNormalization) {
        return new OnnxExportOptions(newBatchNormalization, maxPoolPadding, precision);
    }

    public OnnxExportOptions withMaxPoolPadding(MaxPoolPadding newMaxPoolPadding) {
        return new OnnxExportOptions(batchNormalization, newMaxPoolPadding, precision);
    }

    public OnnxExportOptions withPrecision(Precision newPrecision) {
        return new OnnxExportOptions(batchNormalization, maxPoolPadding, newPrecision);
    }

    /**
     * The element type of the weights and of the values between the layers. The graph's input and output are float32
     * either way (see {@link OnnxExporter}), so every host runs both files with the same code.
     */
    public enum Precision {
        /** Float32 throughout: what Darknet computes, for ONNX Runtime on the Raspberry Pis. */
        FLOAT32("fp32"),
        /**
         * Weights and values between layers in IEEE half precision, for OpenVINO's MYRIAD plugin (NCS2, OAK), which
         * computes in FP16: a Cast to float16 after the input, a Cast back to float32 before the output. Folded weights
         * are computed in double and rounded once to half; one beyond half's range (65504) fails the export.
         */
        FLOAT16("fp16");

        private final String key;

        Precision(String key) {
            this.key = key;
        }

        /** The value of metadata {@code precision}: {@code fp32} or {@code fp16}. */
        public String key() {
            return key;
        }

        /** The precision whose {@link #key()} this is; {@link IllegalArgumentException} for any other text. */
        public static Precision ofKey(String key) {
            for (Precision precision : values()) {
                if (precision.key.equals(key)) {
                    return precision;
                }
            }
            throw new IllegalArgumentException("unknown precision '" + key + "', expected fp32 or fp16");
        }
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

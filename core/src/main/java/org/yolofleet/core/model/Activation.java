package org.yolofleet.core.model;

/** The activation a convolutional layer applies to its output, as Darknet names them in a cfg file. */
public enum Activation {
    /** Darknet's {@code leaky}: {@code x > 0 ? x : 0.1 * x}. */
    LEAKY,
    /** Darknet's {@code linear}: the identity. */
    LINEAR,
    /** Darknet's {@code relu}: {@code max(0, x)}. */
    RELU,
    /** Darknet's {@code logistic}: the sigmoid {@code 1 / (1 + e^-x)}; Darknet's default when a cfg names none. */
    LOGISTIC
}

package org.yolofleet.core.model;

/** How Darknet's learning rate changes over training ({@code policy} in the {@code [net]} section). */
public enum LearningRatePolicy {
    /** The learning rate stays fixed (after burn-in). */
    CONSTANT,
    /** The learning rate is multiplied by {@code scales[i]} when the batch count reaches {@code steps[i]}. */
    STEPS
}

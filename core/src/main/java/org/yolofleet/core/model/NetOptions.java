package org.yolofleet.core.model;

import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The training settings of Darknet's {@code [net]} section (the input size lives in {@link ModelSpec}).
 * Names follow the cfg keys without underscores: {@code learning_rate}, {@code burn_in}, {@code max_batches}.
 *
 * @param batch images per training step ({@code batch})
 * @param subdivisions pieces a batch is split into to fit memory
 * @param angle maximum random rotation in degrees, for augmentation
 * @param saturation random saturation factor range {@code [1/saturation, saturation]}
 * @param exposure random exposure factor range {@code [1/exposure, exposure]}
 * @param hue random hue shift range {@code [-hue, hue]}
 * @param burnIn batches over which the learning rate ramps up
 * @param steps batch counts at which the learning rate is scaled ({@link LearningRatePolicy#STEPS} only)
 * @param scales the factor applied at each step, one per step
 */
public record NetOptions(
        int batch,
        int subdivisions,
        double momentum,
        double decay,
        double angle,
        double saturation,
        double exposure,
        double hue,
        double learningRate,
        int burnIn,
        int maxBatches,
        LearningRatePolicy policy,
        List<Integer> steps,
        List<Double> scales) {
    /** Darknet's values for keys a cfg leaves out (policy {@code constant}). */
    public static final NetOptions DARKNET_DEFAULTS =
            new NetOptions(1, 1, 0.9, 0.0001, 0, 1, 1, 0, 0.001, 0, 0, LearningRatePolicy.CONSTANT, List.of(), List.of());

    public NetOptions {
        requireNonNull(policy, "policy");
        steps = List.copyOf(requireNonNull(steps, "steps"));
        scales = List.copyOf(requireNonNull(scales, "scales"));
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        if (subdivisions < 1 || subdivisions > batch) {
            throw new IllegalArgumentException("subdivisions must be in [1, batch = " + batch + "], got " + subdivisions);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        requireFiniteNotNegative("decay", decay);
        requireFiniteNotNegative("angle", angle);
        if (!(saturation >= 1 && Double.isFinite(saturation))) {
            throw new IllegalArgumentException("saturation must be at least 1, got " + saturation);
        }
        if (!(exposure >= 1 && Double.isFinite(exposure))) {
            throw new IllegalArgumentException("exposure must be at least 1, got " + exposure);
        }
        if (!(hue >= 0 && hue <= 1)) {
            throw new IllegalArgumentException("hue must be in [0, 1], got " + hue);
        }
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("learning_rate must be positive, got " + learningRate);
        }
        if (burnIn < 0) {
            throw new IllegalArgumentException("burn_in must not be negative, got " + burnIn);
        }
        if (maxBatches < 0) {
            throw new IllegalArgumentException("max_batches must not be negative, got " + maxBatches);
        }
        for (double scale : scales) {
            requireFiniteNotNegative("every scale", scale);
        }
        boolean stepsMatchPolicy = switch (policy) {
            case CONSTANT -> steps.isEmpty() && scales.isEmpty();
            case STEPS -> !steps.isEmpty() && steps.size() == scales.size();
        };
        if (!stepsMatchPolicy) {
            throw new IllegalArgumentException("steps " + steps + " and scales " + scales + " do not fit policy "
                    + policy.name().toLowerCase(Locale.ROOT)
                    + ": constant takes none, steps takes as many scales as steps (at least one)");
        }
    }

    private static void requireFiniteNotNegative(String name, double value) {
        if (!(value >= 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(name + " must be finite and not negative, got " + value);
        }
    }
}

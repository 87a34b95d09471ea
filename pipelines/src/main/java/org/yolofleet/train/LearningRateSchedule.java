package org.yolofleet.train;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * Darknet's {@code policy=steps} learning rate with burn-in: during the first {@code burnIn} iterations the rate is
 * {@code baseRate * (iteration / burnIn)^power}; after it, {@code baseRate} times every scale whose step has been
 * reached ({@code iteration >= step}). An iteration is one minibatch step of one worker.
 */
public record LearningRateSchedule(double baseRate, int burnIn, double power, List<Long> steps, List<Double> scales)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public LearningRateSchedule {
        if (!(baseRate >= 0 && Double.isFinite(baseRate))) {
            throw new IllegalArgumentException("base rate must be finite and not negative, got " + baseRate);
        }
        if (burnIn < 0 || !(power >= 0)) {
            throw new IllegalArgumentException("burn-in and power must not be negative");
        }
        steps = List.copyOf(steps);
        scales = List.copyOf(scales);
        if (steps.size() != scales.size()) {
            throw new IllegalArgumentException("one scale per step expected, got " + steps.size() + " steps and " + scales.size() + " scales");
        }
    }

    public static LearningRateSchedule constant(double rate) {
        return new LearningRateSchedule(rate, 0, 0, List.of(), List.of());
    }

    /** The rate at an iteration (from 0). */
    public double rateAt(long iteration) {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must not be negative, got " + iteration);
        }
        if (iteration < burnIn) {
            return baseRate * Math.pow((double) (iteration + 1) / burnIn, power);
        }
        double rate = baseRate;
        for (int index = 0; index < steps.size(); index++) {
            if (iteration >= steps.get(index)) {
                rate *= scales.get(index);
            }
        }
        return rate;
    }
}

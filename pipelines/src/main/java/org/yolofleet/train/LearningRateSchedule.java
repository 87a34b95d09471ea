package org.yolofleet.train;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * The learning rate by iteration (one minibatch step of one worker), with Darknet's burn-in: during the first
 * {@code burnIn} iterations the rate is {@code baseRate * (iteration / burnIn)^power}. After it:
 * <ul>
 *   <li>{@link Policy#STEPS} (Darknet's {@code policy=steps}): {@code baseRate} times every scale whose step has been
 *       reached ({@code iteration >= step});</li>
 *   <li>{@link Policy#COSINE}: {@code baseRate} until {@code cosineFrom} of the run (0: from the end of burn-in), then
 *       down to {@code baseRate * finalScale} at the run's last iteration along half a cosine (SGDR without restarts),
 *       so the last epochs settle instead of jumping about at a constant rate; then the steps' scales multiply it
 *       too. A late start (e.g. 0.6: warm-up, stable, decay) keeps the full rate while the network is far from any
 *       minimum, which is where a short run spends most of its iterations.</li>
 * </ul>
 */
public record LearningRateSchedule(double baseRate, int burnIn, double power, List<Long> steps, List<Double> scales, Policy policy,
                                   double finalScale, double cosineFrom) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** How the rate moves after burn-in. */
    public enum Policy {
        /** Constant between Darknet's steps. */
        STEPS,
        /** Half a cosine from the base rate to {@code finalScale} of it over the run. */
        COSINE
    }

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
        java.util.Objects.requireNonNull(policy, "policy");
        if (!(finalScale >= 0 && finalScale <= 1)) {
            throw new IllegalArgumentException("final scale must be in [0, 1], got " + finalScale);
        }
        if (!(cosineFrom >= 0 && cosineFrom < 1)) {
            throw new IllegalArgumentException("the cosine's start must be in [0, 1) of the run, got " + cosineFrom);
        }
    }

    public static LearningRateSchedule constant(double rate) {
        return new LearningRateSchedule(rate, 0, 0, List.of(), List.of(), Policy.STEPS, 1, 0);
    }

    /** The rate at an iteration (from 0) of a run of {@code totalIterations} (the cosine's length; steps ignore it). */
    public double rateAt(long iteration, long totalIterations) {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must not be negative, got " + iteration);
        }
        if (iteration < burnIn) {
            return baseRate * Math.pow((double) (iteration + 1) / burnIn, power);
        }
        double rate = baseRate;
        if (policy == Policy.COSINE) {
            double start = burnIn + cosineFrom * Math.max(0, totalIterations - 1 - burnIn);
            double span = Math.max(1, totalIterations - 1 - start);
            double progress = Math.max(0, Math.min(1, (iteration - start) / span));
            rate = baseRate * (finalScale + (1 - finalScale) * 0.5 * (1 + Math.cos(Math.PI * progress)));
        }
        for (int index = 0; index < steps.size(); index++) {
            if (iteration >= steps.get(index)) {
                rate *= scales.get(index);
            }
        }
        return rate;
    }
}

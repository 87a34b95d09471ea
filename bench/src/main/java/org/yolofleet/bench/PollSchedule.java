package org.yolofleet.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/**
 * When a fleet's agents first poll after a release change, without waiting for it: each agent starts at a random
 * moment of its first period and then polls every {@code interval} plus a uniform random delay up to {@code jitter}
 * (the agent's {@code device.poll} and the systemd timer's {@code OnUnitActiveSec} + {@code RandomizedDelaySec}); the
 * release changes after {@code warmUp} of such polling, so every agent's phase is random. Simulated time only.
 */
final class PollSchedule {
    private PollSchedule() {
    }

    /** Each agent's wait from the change to its first poll at or after it, in seconds, sorted. */
    static double[] waitsAfterChange(int agents, Duration interval, Duration jitter, Duration warmUp, long seed) {
        Random random = new Random(seed);
        double period = interval.toMillis() / 1000.0;
        double spread = jitter.toMillis() / 1000.0;
        double change = warmUp.toMillis() / 1000.0;
        double[] waits = new double[agents];
        for (int agent = 0; agent < agents; agent++) {
            double poll = random.nextDouble() * (period + spread);
            while (poll < change) {
                poll += period + random.nextDouble() * spread;
            }
            waits[agent] = poll - change;
        }
        Arrays.sort(waits);
        return waits;
    }

    /** The value below which {@code share} of the sorted values lie (nearest rank). */
    static double quantile(double[] sorted, double share) {
        int rank = (int) Math.ceil(share * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}

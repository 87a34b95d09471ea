package org.yolofleet.publish.store;

import com.typesafe.config.Config;
import org.yolofleet.config.ConfigReader;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How a {@link ReleaseStore} behaves beyond where it is: {@code yolofleet.publish.store.*} (conditional-writes,
 * max-attempts) and the backoff between attempts (exponential from {@code baseDelay}, capped at {@code maxDelay}, full
 * jitter), which is not configurable, only shorter in tests.
 */
public record ReleaseStoreOptions(ConditionalWrites conditionalWrites, int maxAttempts, Duration baseDelay, Duration maxDelay) {
    public static final int MAXIMUM_ATTEMPTS = 50;
    public static final ReleaseStoreOptions DEFAULTS =
            new ReleaseStoreOptions(ConditionalWrites.AUTO, 6, Duration.ofMillis(200), Duration.ofSeconds(20));

    public ReleaseStoreOptions {
        requireNonNull(conditionalWrites, "conditionalWrites");
        requireNonNull(baseDelay, "baseDelay");
        requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1 || maxAttempts > MAXIMUM_ATTEMPTS) {
            throw new IllegalArgumentException("maxAttempts must be 1 to " + MAXIMUM_ATTEMPTS + ": " + maxAttempts);
        }
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("delays must satisfy 0 <= base <= max: " + baseDelay + ", " + maxDelay);
        }
    }

    /** Reads {@code yolofleet.publish.store} of a loaded configuration. */
    public static ReleaseStoreOptions from(Config config) {
        ConfigReader store = new ConfigReader(config, "yolofleet.publish.store");
        return new ReleaseStoreOptions(store.enumeration("conditional-writes", ConditionalWrites.class),
                store.integer("max-attempts", 1, MAXIMUM_ATTEMPTS), DEFAULTS.baseDelay(), DEFAULTS.maxDelay());
    }

    public ReleaseStoreOptions withConditionalWrites(ConditionalWrites mode) {
        return new ReleaseStoreOptions(mode, maxAttempts, baseDelay, maxDelay);
    }

    public ReleaseStoreOptions withAttempts(int attempts, Duration base, Duration max) {
        return new ReleaseStoreOptions(conditionalWrites, attempts, base, max);
    }
}

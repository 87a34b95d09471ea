package org.yolofleet.device.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The agent's validated configuration, {@code device.conf} over {@code device-defaults.conf} (where every key is
 * documented); read by {@link DeviceConfigLoader}.
 *
 * @param store where releases are published
 * @param s3 how to reach an S3 store
 * @param model the model whose releases this device runs
 * @param channel the channel it follows
 * @param profile what runs the model, which decides the artifact installed
 * @param trustedKeys PEM files of the Ed25519 public keys accepted, at least one
 * @param installDirectory where releases are installed
 * @param keepReleases installed releases kept, the current one included, at least 1
 * @param postSwitchCommand a shell command run after every switch
 * @param healthCheckCommand a shell command whose exit 0 says the switched-to release works
 * @param healthCheckTimeout how long either command may run
 * @param reserveBytes free bytes to leave on the install file system after a download
 * @param poll the interval and jitter of {@code sync --loop}
 * @param bandwidthCap the most bytes per second a download uses; 0: no cap
 * @param retry retries of failed requests
 * @param lockWait how long a second agent waits for the lock
 */
public record DeviceConfig(StoreLocation store, S3Settings s3, String model, String channel, Profile profile, List<Path> trustedKeys,
                           Path installDirectory, int keepReleases, Optional<String> postSwitchCommand, Optional<String> healthCheckCommand,
                           Duration healthCheckTimeout, long reserveBytes, Poll poll, long bandwidthCap, Retry retry, Duration lockWait) {
    public DeviceConfig {
        requireNonNull(store, "store");
        requireNonNull(s3, "s3");
        requireNonNull(model, "model");
        requireNonNull(channel, "channel");
        requireNonNull(profile, "profile");
        trustedKeys = List.copyOf(trustedKeys);
        requireNonNull(installDirectory, "installDirectory");
        requireNonNull(postSwitchCommand, "postSwitchCommand");
        requireNonNull(healthCheckCommand, "healthCheckCommand");
        requireNonNull(healthCheckTimeout, "healthCheckTimeout");
        requireNonNull(poll, "poll");
        requireNonNull(retry, "retry");
        requireNonNull(lockWait, "lockWait");
        if (keepReleases < 1) {
            throw new IllegalArgumentException("keepReleases must be at least 1, got " + keepReleases);
        }
        if (bandwidthCap < 0 || reserveBytes < 0) {
            throw new IllegalArgumentException("bandwidthCap and reserveBytes must not be negative");
        }
    }

    /**
     * How to reach an S3 store.
     *
     * @param region the bucket's region; empty: the SDK's default chain
     * @param endpoint an S3-compatible endpoint; empty: AWS
     * @param pathStyle path-style requests
     */
    public record S3Settings(Optional<String> region, Optional<String> endpoint, boolean pathStyle) {
        public S3Settings {
            requireNonNull(region, "region");
            requireNonNull(endpoint, "endpoint");
        }
    }

    /** The interval of {@code sync --loop} and the random delay up to {@code jitter} added to each. */
    public record Poll(Duration interval, Duration jitter) {
        public Poll {
            requireNonNull(interval, "interval");
            requireNonNull(jitter, "jitter");
        }
    }

    /**
     * Retries of failed requests: {@code attempts} in all, the n-th retry waiting a random time up to
     * {@code min(maxBackoff, initialBackoff * 2^(n-1))}.
     */
    public record Retry(int attempts, Duration initialBackoff, Duration maxBackoff, Duration requestTimeout) {
        public Retry {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
            }
            requireNonNull(initialBackoff, "initialBackoff");
            requireNonNull(maxBackoff, "maxBackoff");
            requireNonNull(requestTimeout, "requestTimeout");
        }
    }
}

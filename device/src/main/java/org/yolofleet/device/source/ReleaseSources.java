package org.yolofleet.device.source;

import org.yolofleet.device.config.DeviceConfig;

import java.util.Random;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/** Opens the configured store with retries and the bandwidth cap: what the agent's commands read releases through. */
public final class ReleaseSources {
    private ReleaseSources() {
    }

    /** The store's plain source: one request per call, no retries. */
    public static ReleaseSource plain(DeviceConfig config) {
        requireNonNull(config, "config");
        return switch (config.store().scheme()) {
            case S3 -> new S3ReleaseSource(S3ReleaseSource.client(config.s3().region(), config.s3().endpoint(), config.s3().pathStyle(),
                    S3ReleaseSource.defaultCredentials(), config.retry().requestTimeout()), config.store().bucket(), config.store().prefix());
            case FILE -> new FileReleaseSource(config.store().directory());
            case HTTP -> new HttpReleaseSource(config.store().uri(), config.retry().requestTimeout());
        };
    }

    /** {@code source} with the configured retries ({@code onRetry} hears each) and bandwidth cap. */
    public static ReleaseSource decorate(ReleaseSource source, DeviceConfig config, Backoff.Sleeper sleeper, Consumer<String> onRetry) {
        ReleaseSource decorated = new RetryingReleaseSource(source, backoff(config, sleeper), onRetry);
        return config.bandwidthCap() > 0 ? new ThrottledReleaseSource(decorated, config.bandwidthCap()) : decorated;
    }

    /** The configured retry policy. */
    public static Backoff backoff(DeviceConfig config, Backoff.Sleeper sleeper) {
        return new Backoff(config.retry().attempts(), config.retry().initialBackoff(), config.retry().maxBackoff(), new Random(), sleeper);
    }
}

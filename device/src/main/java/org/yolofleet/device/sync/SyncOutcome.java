package org.yolofleet.device.sync;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a sync that did not fail did. Failures (a refused release, a failed health check, a store that cannot be reached)
 * are {@link org.yolofleet.core.error.YoloFleetException}s, recorded in the state first.
 *
 * @param result what happened
 * @param version the version the channel serves; empty when not read (not modified)
 * @param bytesDownloaded artifact bytes fetched by this sync
 */
public record SyncOutcome(Result result, Optional<String> version, long bytesDownloaded) {
    /** What a sync did. */
    public enum Result {
        /** The channel pointer's ETag is unchanged: one request, nothing written. */
        NOT_MODIFIED,
        /** The channel serves the installed release. */
        UP_TO_DATE,
        /** A new release was downloaded, verified, switched to and passed its health check. */
        INSTALLED,
        /** The channel serves a release at or below the one an operator rolled back from. */
        HELD_BY_ROLLBACK,
        /** The channel serves a version that failed its health check before. */
        BAD_VERSION
    }

    public SyncOutcome {
        requireNonNull(result, "result");
        requireNonNull(version, "version");
    }
}

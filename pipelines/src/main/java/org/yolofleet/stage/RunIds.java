package org.yolofleet.stage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** Run ids name staging areas and dataset versions: UTC time first so they sort, then a random suffix. */
public final class RunIds {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private RunIds() {
    }

    public static String newRunId(Instant now) {
        return TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A dataset version: creation time plus the first 12 hex digits of its content fingerprint. */
    public static String datasetVersion(Instant created, String contentFingerprint) {
        return TIME.format(created) + "-" + contentFingerprint.substring(0, 12);
    }
}

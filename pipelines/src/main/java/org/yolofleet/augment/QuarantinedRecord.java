package org.yolofleet.augment;

import static java.util.Objects.requireNonNull;

/** One prepared record the augment stage set aside; {@code quarantine.json} lists them. */
public record QuarantinedRecord(String id, String split, String reason, String detail) {
    public QuarantinedRecord {
        requireNonNull(id, "id");
        requireNonNull(split, "split");
        requireNonNull(reason, "reason");
        requireNonNull(detail, "detail");
    }
}

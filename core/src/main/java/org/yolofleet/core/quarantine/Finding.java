package org.yolofleet.core.quarantine;

import static java.util.Objects.requireNonNull;

/** Something noticed or changed while preparing one record: a reason and its detail, not yet tied to a file. */
public record Finding(QuarantineReason reason, String detail) {
    public Finding {
        requireNonNull(reason, "reason");
        requireNonNull(detail, "detail");
    }
}

package org.yolofleet.augment;

import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.stage.Split;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** What became of one prepared record: its augmented samples, or a quarantine entry saying why there are none. */
public sealed interface RecordOutcome {
    String id();

    Split split();

    /** The record's samples; {@code sourceBoxes} is the number of objects the prepared record had. */
    record Augmented(String id, Split split, int sourceBoxes, List<AugmentedSample> samples) implements RecordOutcome {
        public Augmented {
            requireNonNull(id, "id");
            requireNonNull(split, "split");
            samples = List.copyOf(samples);
        }
    }

    /** The record was set aside; {@code detail} says what was wrong in words. */
    record Quarantined(String id, Split split, QuarantineReason reason, String detail) implements RecordOutcome {
        public Quarantined {
            requireNonNull(id, "id");
            requireNonNull(split, "split");
            requireNonNull(reason, "reason");
            requireNonNull(detail, "detail");
        }
    }
}

package org.yolofleet.dataset;

import org.yolofleet.core.quarantine.QuarantineEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What became of one annotation record: the kept image (absent when the whole record was rejected) and the
 * rejections — the whole-record rejection, or the objects left out of a kept image. Warnings on a kept image are
 * in {@link PreparedImage#warnings()}.
 */
public record PrepareOutcome(Optional<PreparedImage> image, List<QuarantineEntry> rejections) {
    public PrepareOutcome {
        requireNonNull(image, "image");
        rejections = List.copyOf(rejections);
        if (image.isEmpty() && rejections.isEmpty()) {
            throw new IllegalArgumentException("a record that is not kept must say why");
        }
    }

    static PrepareOutcome rejected(QuarantineEntry rejection) {
        return new PrepareOutcome(Optional.empty(), List.of(rejection));
    }

    /** Every quarantine entry of this record: the rejections, then the warnings of the kept image. */
    public List<QuarantineEntry> quarantineEntries() {
        return image.map(kept -> {
            List<QuarantineEntry> all = new ArrayList<>(rejections);
            all.addAll(kept.warnings());
            return List.copyOf(all);
        }).orElse(rejections);
    }
}

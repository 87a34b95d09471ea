package org.yolofleet.prepare;

import org.yolofleet.stage.DatasetManifest;

import static java.util.Objects.requireNonNull;

/** What a finished prepare run hands back: the committed manifest, the quarantine counts and where it all is. */
public record PrepareSummary(DatasetManifest manifest, QuarantineStatistics quarantine, String outputUri) {
    public PrepareSummary {
        requireNonNull(manifest, "manifest");
        requireNonNull(quarantine, "quarantine");
        requireNonNull(outputUri, "outputUri");
    }

    public String text() {
        return DatasetReport.summary(manifest, quarantine, outputUri);
    }
}

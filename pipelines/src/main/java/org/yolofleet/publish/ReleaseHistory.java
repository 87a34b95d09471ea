package org.yolofleet.publish;

import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.publish.store.ReleaseStore;
import org.yolofleet.publish.store.StagedRelease;

/** The releases of a model already in the store, as the next release needs them: its sequence follows theirs. */
public final class ReleaseHistory {
    private ReleaseHistory() {
    }

    /** One more than the highest sequence of the model's complete releases; 1 for the first. */
    public static long nextSequence(ReleaseStore store, String model) {
        long highest = 0;
        for (String version : StagedRelease.completeVersions(store, model)) {
            highest = Math.max(highest, ReleaseManifest.fromJson(store.read(ReleaseLayout.manifest(model, version))).sequence());
        }
        return highest + 1;
    }
}

package org.yolofleet.train;

/**
 * Told of a training run's progress as it happens, between the steps the run can be resumed from: after each averaging
 * round (and the mid-epoch checkpoint, when one was due) and after each epoch's checkpoint. For what watches a run from
 * inside the driver (progress reporting, a time budget); an observer that throws ends the run there as a kill would,
 * leaving what a resume continues from, and {@code latest.json} untouched. {@link #NONE} observes nothing.
 */
public interface TrainingObserver {
    /** Observes nothing. */
    TrainingObserver NONE = new TrainingObserver() {
    };

    /**
     * An averaging round of {@code epoch} was trained: the {@code roundsTrained}-th of this run (counted from where this
     * run started or resumed).
     */
    default void roundTrained(int epoch, int roundsTrained) {
    }

    /** An epoch was validated and its checkpoint and {@code best.json} written. */
    default void epochCheckpointed(EpochMetrics metrics) {
    }
}

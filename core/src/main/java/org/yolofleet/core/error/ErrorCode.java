package org.yolofleet.core.error;

/**
 * One code per category of failure, so failures can be counted and alerted on.
 * Quarantine reasons for single records live in the dataset package; these name whole-operation failures.
 */
public enum ErrorCode {
    CONFIG,
    BAD_ANNOTATION,
    CORRUPT_IMAGE,
    BAD_MODEL_SPEC,
    BAD_WEIGHTS,
    S3_ACCESS,
    IO,
    QUARANTINE_THRESHOLD,
    OUTPUT_EXISTS,
    EXPORT_MISMATCH,
    TRAINING_DIVERGED,
    INTERNAL,
    /**
     * A training run that would train no epoch: resuming a complete run, or {@code train.epochs} not past the epochs
     * already done. Never reported as a success, so a nightly job that trains nothing fails visibly.
     */
    NOTHING_TO_TRAIN
}

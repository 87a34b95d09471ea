package org.yolofleet.core.error;

/**
 * One code per category of failure, so failures can be counted and alerted on; each has an {@link ErrorType} that
 * decides the exit code. Quarantine reasons for single records are {@code core.quarantine.QuarantineReason}; these name
 * whole-operation failures. The names appear in messages ({@code [CODE] ...}) and logs: keep them stable.
 */
public enum ErrorCode {
    /** A configuration key or command-line value that is wrong, or does not fit the data it is applied to. */
    CONFIG(ErrorType.USER),
    /** A file or input path the user named does not exist. */
    NOT_FOUND(ErrorType.USER),
    /** A VOC annotation that cannot be used. */
    BAD_ANNOTATION(ErrorType.BAD_DATA),
    /** An image that cannot be decoded. */
    CORRUPT_IMAGE(ErrorType.BAD_DATA),
    /** A prepared dataset or augmented shards whose content is inconsistent (a truncated tar, a sample of the wrong size). */
    BAD_DATASET(ErrorType.BAD_DATA),
    /** A Darknet cfg, ONNX model or checkpoint that does not describe a usable network. */
    BAD_MODEL_SPEC(ErrorType.BAD_DATA),
    /** Weights that do not fit the network they are loaded into. */
    BAD_WEIGHTS(ErrorType.BAD_DATA),
    /** S3 refused or failed a request. */
    S3_ACCESS(ErrorType.EXTERNAL),
    /** A file system or network read or write failed. */
    IO(ErrorType.EXTERNAL),
    /** More records were quarantined than the configured share allows. */
    QUARANTINE_THRESHOLD(ErrorType.BAD_DATA),
    /** The output location already holds a result and overwriting was not asked for. */
    OUTPUT_EXISTS(ErrorType.USER),
    /** An exported model computes something other than the trained one. */
    EXPORT_MISMATCH(ErrorType.REFUSED),
    /**
     * The publish stage's regression gate: the new model scores lower on tonight's val split than the release the
     * channel points at, by more than {@code publish.gate.max-map-drop}. {@code publish --force} publishes anyway.
     */
    MAP_REGRESSION(ErrorType.REFUSED),
    /**
     * A release channel pointer moved between reading it and replacing it (another publish run won the race), or was
     * expected absent and exists: nothing was overwritten; read the channel again and decide.
     */
    CHANNEL_CONFLICT(ErrorType.REFUSED),
    /** The training loss stopped being finite or exploded. */
    TRAINING_DIVERGED(ErrorType.REFUSED),
    /**
     * A training run that would train no epoch: resuming a complete run, or {@code train.epochs} not past the epochs
     * already done. Never reported as a success, so a nightly job that trains nothing fails visibly.
     */
    NOTHING_TO_TRAIN(ErrorType.USER),
    /**
     * A vendor model compiler ({@code mvNCCompile}, OpenVINO's {@code compile_tool}) that the configuration marks required
     * is missing, failed, timed out or wrote no artifact. Installing the tools or retrying on a host that has them may help.
     */
    COMPILER_FAILED(ErrorType.EXTERNAL),
    /**
     * A release manifest, decode spec, channel pointer or signature file that cannot be read: malformed JSON, a missing or
     * unknown field, or a schema version this reader does not support.
     */
    BAD_RELEASE(ErrorType.BAD_DATA),
    /**
     * A release whose signature does not prove it came from a trusted publisher: no or a malformed {@code manifest.sig},
     * a key id no trusted key has, or a signature that does not verify over {@code manifest.json}'s bytes.
     */
    RELEASE_SIGNATURE(ErrorType.REFUSED),
    /**
     * A signed release whose files are not what its manifest lists: an artifact missing, of another size or SHA-256, a
     * manifest found under another model or version than it names, or a channel pointer that names another manifest.
     */
    RELEASE_TAMPERED(ErrorType.REFUSED),
    /**
     * A device's channel serves a release whose {@code sequence} is not above the one installed: a replayed or stale
     * pointer. The device keeps what it runs; {@code yolofleet-agent rollback} is how an operator goes back.
     */
    RELEASE_NOT_NEWER(ErrorType.REFUSED),
    /**
     * A release a device switched to failed its post-switch command or health check: the device switched back and will
     * not install that version again; a release of a higher sequence is tried as usual.
     */
    HEALTH_CHECK_FAILED(ErrorType.REFUSED),
    /** A bug. */
    INTERNAL(ErrorType.INTERNAL);

    private final ErrorType type;

    ErrorCode(ErrorType type) {
        this.type = type;
    }

    public ErrorType type() {
        return type;
    }
}

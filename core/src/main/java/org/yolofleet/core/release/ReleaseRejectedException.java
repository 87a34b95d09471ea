package org.yolofleet.core.release;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import static java.util.Objects.requireNonNull;

/**
 * A release a device must not install, with the {@link Reason} why: the reasons about the signature are
 * {@link ErrorCode#RELEASE_SIGNATURE}, those about the files {@link ErrorCode#RELEASE_TAMPERED}.
 */
public class ReleaseRejectedException extends YoloFleetException {
    /** Why a release was refused. */
    public enum Reason {
        /** No {@code manifest.sig} next to the manifest. */
        UNSIGNED(ErrorCode.RELEASE_SIGNATURE),
        /** A {@code manifest.sig} that cannot be read, or of another algorithm than Ed25519. */
        MALFORMED_SIGNATURE(ErrorCode.RELEASE_SIGNATURE),
        /** Signed by a key id none of the trusted keys has. */
        UNKNOWN_KEY(ErrorCode.RELEASE_SIGNATURE),
        /** The signature does not verify over the manifest's bytes with the trusted key of its key id. */
        BAD_SIGNATURE(ErrorCode.RELEASE_SIGNATURE),
        /** A signed manifest found under another model or version than it names (a replayed release). */
        WRONG_RELEASE(ErrorCode.RELEASE_TAMPERED),
        /** An artifact the manifest lists is not there. */
        MISSING_ARTIFACT(ErrorCode.RELEASE_TAMPERED),
        /** An artifact of another size than the manifest lists. */
        ARTIFACT_SIZE(ErrorCode.RELEASE_TAMPERED),
        /** An artifact of the listed size whose SHA-256 differs. */
        ARTIFACT_HASH(ErrorCode.RELEASE_TAMPERED),
        /** A channel pointer whose manifest SHA-256, model, version or sequence is not the release it leads to. */
        POINTER_MISMATCH(ErrorCode.RELEASE_TAMPERED);

        private final ErrorCode code;

        Reason(ErrorCode code) {
            this.code = code;
        }

        public ErrorCode code() {
            return code;
        }
    }

    private final Reason reason;

    public ReleaseRejectedException(Reason reason, String message) {
        super(requireNonNull(reason, "reason").code(), message);
        this.reason = reason;
    }

    public ReleaseRejectedException(Reason reason, String message, Throwable cause) {
        super(requireNonNull(reason, "reason").code(), message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

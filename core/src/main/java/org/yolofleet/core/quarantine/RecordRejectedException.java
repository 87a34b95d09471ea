package org.yolofleet.core.quarantine;

import org.yolofleet.core.error.YoloFleetException;

import java.io.Serial;

import static java.util.Objects.requireNonNull;

/** A whole record cannot be used, for a {@link QuarantineReason}; the processor turns it into a quarantine entry. */
public final class RecordRejectedException extends YoloFleetException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final QuarantineReason reason;
    private final String detail;

    public RecordRejectedException(QuarantineReason reason, String detail) {
        super(requireNonNull(reason, "reason").errorCode(), reason + ": " + requireNonNull(detail, "detail"));
        this.reason = reason;
        this.detail = detail;
    }

    public RecordRejectedException(QuarantineReason reason, String detail, Throwable cause) {
        super(requireNonNull(reason, "reason").errorCode(), reason + ": " + requireNonNull(detail, "detail"), cause);
        this.reason = reason;
        this.detail = detail;
    }

    public QuarantineReason reason() {
        return reason;
    }

    /** What was found, without the reason code. */
    public String detail() {
        return detail;
    }
}

package org.yolofleet.core.error;

import static java.util.Objects.requireNonNull;

/** The one exception family of yolofleet: every failure carries an {@link ErrorCode}. */
public class YoloFleetException extends RuntimeException {
    private final ErrorCode code;

    public YoloFleetException(ErrorCode code, String message) {
        super(message);
        this.code = requireNonNull(code, "code");
    }

    public YoloFleetException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    @Override
    public String getMessage() {
        return "[" + code + "] " + super.getMessage();
    }
}

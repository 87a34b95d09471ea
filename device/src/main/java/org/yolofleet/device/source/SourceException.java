package org.yolofleet.device.source;

import java.io.IOException;

/**
 * A store that answered a request with an error status: 5xx, 429 and S3's throttling ({@code 503 SlowDown}) may pass
 * on a retry, anything else (403 access denied, 400) will not.
 */
public class SourceException extends IOException {
    private final int status;
    private final boolean retryable;

    public SourceException(String message, int status, boolean retryable) {
        super(message);
        this.status = status;
        this.retryable = retryable;
    }

    public SourceException(String message, int status, boolean retryable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
    }

    /** Whether an HTTP status is worth retrying: 5xx (503 SlowDown included), 429 Too Many Requests, 408 Request Timeout. */
    public static boolean retryableStatus(int status) {
        return status >= 500 || status == 429 || status == 408;
    }

    /** The HTTP status; 0 when there was none. */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }
}

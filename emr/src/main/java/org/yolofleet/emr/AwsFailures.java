package org.yolofleet.emr;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns a failed AWS call into a typed error: a request AWS refused as invalid or forbidden (HTTP 4xx other than
 * throttling) is the user's to fix ({@link ErrorCode#CONFIG}); anything else (5xx, throttling, no network) may pass on
 * a retry ({@link ErrorCode#IO}).
 */
final class AwsFailures {
    private AwsFailures() {
    }

    static YoloFleetException of(String what, SdkException failure, String remedy) {
        boolean refused = failure instanceof AwsServiceException service && service.statusCode() >= 400 && service.statusCode() < 500
                && !service.isThrottlingException();
        return new YoloFleetException(refused ? ErrorCode.CONFIG : ErrorCode.IO, what + ": " + failure.getMessage()
                + (refused ? " (" + remedy + ")" : " (rerunning may succeed)"), failure);
    }
}

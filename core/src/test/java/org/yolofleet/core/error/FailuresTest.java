package org.yolofleet.core.error;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class FailuresTest {
    @Test
    void aYoloFleetExceptionIsReportedAsItIs() {
        YoloFleetException failure = new YoloFleetException(ErrorCode.CONFIG, "x = 2 is out of range");
        assertThat(Failures.toReport(failure)).isSameAs(failure);
    }

    @Test
    void aWrappedYoloFleetExceptionKeepsItsCode() {
        // what a Spark job abort looks like when the executor's exception survived serialization
        YoloFleetException executorSide = new YoloFleetException(ErrorCode.S3_ACCESS, "cannot read s3a://bucket/key: 403");
        RuntimeException driverSide = new RuntimeException("Job aborted due to stage failure: ...", new ExecutionException(executorSide));

        assertThat(Failures.toReport(driverSide)).isSameAs(executorSide);
    }

    @Test
    void theOutermostYoloFleetExceptionWins() {
        YoloFleetException inner = new YoloFleetException(ErrorCode.IO, "connection reset");
        YoloFleetException outer = new YoloFleetException(ErrorCode.BAD_DATASET, "shard-0.tar is truncated", inner);
        assertThat(Failures.toReport(new RuntimeException(outer))).isSameAs(outer);
    }

    @Test
    void aSuppressedYoloFleetExceptionIsFound() {
        RuntimeException failure = new IllegalStateException("closing failed");
        YoloFleetException suppressed = new YoloFleetException(ErrorCode.CORRUPT_IMAGE, "0001.jpg: not a JPEG");
        failure.addSuppressed(suppressed);
        assertThat(Failures.toReport(failure)).isSameAs(suppressed);
    }

    @Test
    void theCodeIsReadFromTheMessageWhenTheCauseWasLost() {
        RuntimeException driverSide = new RuntimeException("Job aborted due to stage failure: Task 0 in stage 1.0 failed 1 times, most recent"
                + " failure: Lost task 0.0 in stage 1.0 (TID 1) (127.0.0.1 executor driver): org.yolofleet.core.error.YoloFleetException:"
                + " [S3_ACCESS] cannot read s3a://bucket/key: 403 Forbidden\n\tat org.yolofleet.spark.HadoopFiles.failure(HadoopFiles.java:99)\n");

        YoloFleetException report = Failures.toReport(driverSide);

        assertThat(report.code()).isEqualTo(ErrorCode.S3_ACCESS);
        assertThat(report.getMessage()).isEqualTo("[S3_ACCESS] cannot read s3a://bucket/key: 403 Forbidden");
        assertThat(report.getCause()).isSameAs(driverSide);
    }

    @Test
    void anUnknownCodeInAMessageIsNotTrusted() {
        RuntimeException failure = new RuntimeException("org.yolofleet.core.error.YoloFleetException: [NO_SUCH_CODE] x");
        assertThat(Failures.toReport(failure).code()).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void anS3AccessDenialWithoutACodeIsAnS3Failure() {
        AccessDeniedException denied = new AccessDeniedException("s3a://bucket/key: getFileStatus on s3a://bucket/key: 403 Forbidden");
        YoloFleetException report = Failures.toReport(new RuntimeException("Job aborted", denied));

        assertThat(report.code()).isEqualTo(ErrorCode.S3_ACCESS);
        assertThat(report.code().type()).isEqualTo(ErrorType.EXTERNAL);
        assertThat(report.getMessage()).contains("AccessDeniedException").contains("s3a://bucket/key");
    }

    @Test
    void aNetworkFailureIsExternal() {
        YoloFleetException report = Failures.toReport(new IllegalStateException(new SocketTimeoutException("Read timed out")));
        assertThat(report.code()).isEqualTo(ErrorCode.IO);
        assertThat(report.code().type().retryable()).isTrue();
    }

    @Test
    void aBadAddressIsNotANetworkFailure() {
        // java.net, but retrying cannot fix a malformed URI: without a code of ours it is a bug (the value went unchecked)
        assertThat(Failures.toReport(new IllegalArgumentException(new URISyntaxException("s3a://bucket name", "Illegal character"))).code())
                .isEqualTo(ErrorCode.INTERNAL);
        assertThat(Failures.toReport(new MalformedURLException("no protocol: bucket/key")).code()).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void aFileSystemFailureIsIoAndAMissingFileIsNotFound(@TempDir Path directory) {
        Throwable missing = catchThrowable(() -> Files.readAllBytes(directory.resolve("absent")));
        assertThat(Failures.toReport(new UncheckedIOException((IOException) missing)).code()).isEqualTo(ErrorCode.NOT_FOUND);

        Throwable notAFile = catchThrowable(() -> Files.readAllBytes(directory));
        assertThat(Failures.toReport(notAFile).code()).isEqualTo(ErrorCode.IO);
    }

    @Test
    void anIoExceptionFromElsewhereIsInternal() {
        // e.g. a JSON parser's IOException: not a file system failure, so not retryable
        assertThat(Failures.toReport(new FileNotFoundException("made up")).code()).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void anyOtherExceptionIsInternalAndKeepsItsStackTrace() {
        NullPointerException bug = new NullPointerException("Cannot invoke \"String.length()\" because \"name\" is null");

        YoloFleetException report = Failures.toReport(bug);

        assertThat(report.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(report.getMessage()).isEqualTo("[INTERNAL] java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"name\" is null");
        assertThat(report.getCause()).isSameAs(bug);
    }

    @Test
    void anInternalFailureIsNamedByItsInnermostCause() {
        NullPointerException bug = new NullPointerException("no image 2");
        RuntimeException abort = new RuntimeException("Job aborted due to stage failure: ...\n\tat somewhere", bug);

        YoloFleetException report = Failures.toReport(abort);

        assertThat(report.getMessage()).isEqualTo("[INTERNAL] java.lang.NullPointerException: no image 2");
        assertThat(report.getCause()).isSameAs(abort);
    }

    @Test
    void aCauseCycleEnds() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        assertThat(Failures.toReport(second).code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(Failures.chain(second)).containsExactly(second, first);
    }
}

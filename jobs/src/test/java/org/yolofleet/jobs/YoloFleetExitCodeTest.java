package org.yolofleet.jobs;

import org.apache.spark.api.java.function.ForeachFunction;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.ErrorType;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.testing.LocalSpark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The exit code and the error line of a failed run, for failures thrown on the driver and inside Spark tasks. */
class YoloFleetExitCodeTest {
    private static final String S3_FAILURE = "cannot read s3a://bucket/images/0002.jpg: 403 Forbidden";

    @Test
    void anS3FailureInsideASparkTaskExitsAsExternalWithItsCode() {
        Run run = run("spark-job", "--fail-with", "S3_ACCESS");

        assertThat(run.exitCode()).isEqualTo(ErrorType.EXTERNAL.exitCode()).isEqualTo(5);
        assertThat(run.err()).startsWith("error: [S3_ACCESS] " + S3_FAILURE + "\n")
                .doesNotContain("SparkException")
                .doesNotContain("\tat "); // not a bug: no stack trace
    }

    @Test
    void sparkKeepsTheExecutorsExceptionAsTheCauseOfItsAbort() {
        // what Failures relies on first (Spark 3.5: TaskSetManager passes the deserialized exception to the abort)
        Throwable abort = catchThrowable(() -> new SparkJob().failing("S3_ACCESS").call());

        assertThat(abort.getClass().getName()).isEqualTo("org.apache.spark.SparkException");
        assertThat(abort).hasMessageStartingWith("Job aborted due to stage failure")
                .hasRootCauseInstanceOf(YoloFleetException.class)
                .hasRootCauseMessage("[S3_ACCESS] " + S3_FAILURE);
    }

    @Test
    void anExecutorFailureThatCannotBeSerializedKeepsItsCodeThroughTheAbortMessage() {
        // Spark then drops the cause and keeps only the text "...: org.yolofleet...: [S3_ACCESS] message" in its own
        Run run = run("spark-job", "--fail-with", "S3_ACCESS", "--unserializable");

        assertThat(run.exitCode()).isEqualTo(ErrorType.EXTERNAL.exitCode());
        assertThat(run.err()).startsWith("error: [S3_ACCESS] " + S3_FAILURE + "\n");
    }

    @Test
    void aBugInsideASparkTaskExitsAsInternalWithTheStackTrace() {
        Run run = run("spark-job", "--fail-with", "NullPointerException");

        assertThat(run.exitCode()).isEqualTo(ErrorType.INTERNAL.exitCode()).isEqualTo(70);
        assertThat(run.err()).startsWith("error: [INTERNAL] java.lang.NullPointerException: no image 2\n")
                .contains("org.apache.spark.SparkException: Job aborted due to stage failure")
                .contains("\tat ");
    }

    @Test
    void aConfigurationErrorExitsAsAUserError() {
        Run run = run("prepare", "--input", "file:/nowhere", "--output", "file:/nowhere-out", "--set", "prepare.split.val-fraction=2");

        assertThat(run.exitCode()).isEqualTo(ErrorType.USER.exitCode()).isEqualTo(3);
        assertThat(run.err()).startsWith("error: [CONFIG] yolofleet.prepare.split.val-fraction = 2.0").doesNotContain("\tat ");
    }

    @Test
    void aBugOnTheDriverExitsAsInternal() {
        Run run = run("spark-job", "--fail-with", "NullPointerException", "--on-driver");

        assertThat(run.exitCode()).isEqualTo(ErrorType.INTERNAL.exitCode());
        assertThat(run.err()).startsWith("error: [INTERNAL] java.lang.NullPointerException: no image 2\n").contains("\tat ");
    }

    @Test
    void aUsageErrorExitsWithPicocliCode() {
        assertThat(run("spark-job", "--fail-with", "S3_ACCESS", "--no-such-option").exitCode()).isEqualTo(YoloFleet.EXIT_USAGE);
    }

    private static Run run(String... arguments) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = YoloFleet.commandLine().addSubcommand(new SparkJob());
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        int exitCode = commandLine.execute(arguments);
        return new Run(exitCode, err.toString());
    }

    private record Run(int exitCode, String err) {
    }

    /** A verb that runs a Spark job on the test session whose task for element 2 fails as asked. */
    @Command(name = "spark-job")
    static final class SparkJob implements Callable<Integer> {
        @Option(names = "--fail-with", required = true)
        String failWith;

        @Option(names = "--unserializable")
        boolean unserializable;

        @Option(names = "--on-driver")
        boolean onDriver;

        SparkJob failing(String failure) {
            failWith = failure;
            return this;
        }

        @Override
        public Integer call() {
            String failure = failWith;
            boolean withoutSerialization = unserializable;
            if (onDriver) {
                fail(2, failure, withoutSerialization);
            }
            LocalSpark.session().range(4).foreach((ForeachFunction<Long>) value -> fail(value, failure, withoutSerialization));
            return 0;
        }

        private static void fail(long value, String failure, boolean unserializable) {
            if (value != 2) {
                return;
            }
            if (failure.equals("NullPointerException")) {
                throw new NullPointerException("no image " + value);
            }
            throw unserializable
                    ? new UnserializableFailure(ErrorCode.valueOf(failure), S3_FAILURE)
                    : new YoloFleetException(ErrorCode.valueOf(failure), S3_FAILURE);
        }
    }

    /** An exception Spark cannot send from the executor to the driver, so only its text arrives. */
    static final class UnserializableFailure extends YoloFleetException {
        @SuppressWarnings({"unused", "serial"})
        private final Object connection = new Object();

        UnserializableFailure(ErrorCode code, String message) {
            super(code, message);
        }
    }
}

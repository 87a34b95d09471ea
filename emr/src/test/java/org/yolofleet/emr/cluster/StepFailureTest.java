package org.yolofleet.emr.cluster;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.ErrorType;
import software.amazon.awssdk.services.emr.model.FailureDetails;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StepFailureTest {

    static FailureDetails details(String reason, String message) {
        return FailureDetails.builder().reason(reason).message(message).logFile("s3://b/logs/j-1/steps/s-1/stderr.gz").build();
    }

    @Test
    void anErrorCodeInTheMessageGivesItsTypeAndExitCode() {
        Optional<StepFailure> failure = StepFailure.of(details("Unknown Error.",
                "Exception in thread \"main\": error: [S3_ACCESS] cannot read s3://b/datasets/a.xml"));
        assertThat(failure).get().satisfies(value -> {
            assertThat(value.code()).contains(ErrorCode.S3_ACCESS);
            assertThat(value.type()).contains(ErrorType.EXTERNAL);
            assertThat(value.exitCode()).isEqualTo(5);
            assertThat(value.describe()).startsWith("EXTERNAL (exit 5, S3_ACCESS)");
        });
    }

    @Test
    void anExitCodeMapsToItsType() {
        assertThat(StepFailure.of(details(null, "Command exited with exit code 3"))).get()
                .satisfies(value -> assertThat(value.type()).contains(ErrorType.USER));
        assertThat(StepFailure.of(details(null, "Process finished: exitCode: 6"))).get()
                .satisfies(value -> assertThat(value.type()).contains(ErrorType.REFUSED));
        assertThat(StepFailure.of(details(null, "exit status 70"))).get()
                .satisfies(value -> assertThat(value.type()).contains(ErrorType.INTERNAL));
        assertThat(StepFailure.of(details(null, "exit code 4"))).get()
                .satisfies(value -> assertThat(value.type()).contains(ErrorType.BAD_DATA));
        assertThat(StepFailure.of(details(null, "exit code 2"))).get().satisfies(value -> {
            assertThat(value.type()).isEmpty();
            assertThat(value.describe()).startsWith("usage (exit 2)");
        });
    }

    @Test
    void detailsWithoutACodeOrAKnownExitCodeGiveNothing() {
        assertThat(StepFailure.of(details("Unknown Error.", "Application application_1 finished with failed status; exit code 1"))).isEmpty();
        assertThat(StepFailure.of(details(null, "error: [NOT_A_CODE] something"))).isEmpty();
        assertThat(StepFailure.of(null)).isEmpty();
    }
}

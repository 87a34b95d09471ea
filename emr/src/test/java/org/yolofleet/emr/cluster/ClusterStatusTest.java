package org.yolofleet.emr.cluster;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.model.FailureDetails;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterStatusTest {

    @Test
    void aFailedStepIsReportedWithItsTypedErrorAndLogs() {
        FailureDetails details = FailureDetails.builder().message("error: [BAD_DATASET] shard 7 is truncated")
                .logFile("s3://b/logs/j-1/steps/s-2/stderr.gz").build();
        ClusterStatus status = new ClusterStatus("j-1", "yolofleet-nightly-r1", "TERMINATED_WITH_ERRORS", "Step failure", "s3://b/logs/",
                List.of(new ClusterStatus.Step("s-1", "yolofleet prepare r1", "COMPLETED", Optional.empty(), Optional.empty(), Optional.empty()),
                        new ClusterStatus.Step("s-2", "yolofleet augment r1", "FAILED", Optional.of(details.message()),
                                Optional.of(details.logFile()), StepFailure.of(details)),
                        new ClusterStatus.Step("s-3", "yolofleet train r1", "CANCELLED", Optional.empty(), Optional.empty(), Optional.empty())));

        assertThat(status.failedStep()).get().extracting(ClusterStatus.Step::id).isEqualTo("s-2");
        String report = String.join("\n", status.lines());
        assertThat(report).contains("TERMINATED_WITH_ERRORS - Step failure").contains("failed step: yolofleet augment r1")
                .contains("error: BAD_DATA (exit 4, BAD_DATASET): fix the input data")
                .contains("logs: s3://b/logs/j-1/steps/s-2/stderr.gz");
    }

    @Test
    void aFailureWithoutACodePointsAtTheStepsLogs() {
        ClusterStatus status = new ClusterStatus("j-2", "n", "TERMINATED_WITH_ERRORS", "", "s3://b/logs/",
                List.of(new ClusterStatus.Step("s-9", "yolofleet train r2", "FAILED", Optional.of("Unknown Error."), Optional.empty(),
                        Optional.empty())));
        assertThat(status.lines()).contains("  error: not in EMR's failure details; the step's stderr says error: [CODE] ...",
                "  logs: s3://b/logs/j-2/steps/s-9/");
    }
}

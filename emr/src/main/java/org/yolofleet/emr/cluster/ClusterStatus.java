package org.yolofleet.emr.cluster;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.InvalidRequestException;
import software.amazon.awssdk.services.emr.model.StepSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cluster's state and its steps' states, in run order, with the failed step's typed error ({@link StepFailure}) and
 * where its logs are.
 */
public record ClusterStatus(String clusterId, String name, String state, String stateReason, String logUri, List<Step> steps) {

    /** One step: its name, state, and for a failed one what EMR says about it. */
    public record Step(String id, String name, String state, Optional<String> failureMessage, Optional<String> logFile,
                       Optional<StepFailure> failure) {
    }

    public ClusterStatus {
        steps = List.copyOf(steps);
    }

    /** The first failed step, if any. */
    public Optional<Step> failedStep() {
        return steps.stream().filter(step -> step.state().equals("FAILED")).findFirst();
    }

    /** Reads a cluster's status. */
    public static ClusterStatus read(EmrClient emr, String clusterId) {
        try {
            Cluster cluster = emr.describeCluster(request -> request.clusterId(clusterId)).cluster();
            List<StepSummary> summaries = new ArrayList<>();
            emr.listStepsPaginator(request -> request.clusterId(clusterId)).steps().forEach(summaries::add);
            // ListSteps returns the newest first
            List<Step> steps = new ArrayList<>();
            for (int index = summaries.size() - 1; index >= 0; index--) {
                StepSummary step = summaries.get(index);
                var details = step.status() == null ? null : step.status().failureDetails();
                steps.add(new Step(step.id(), step.name(), step.status() == null ? "UNKNOWN" : step.status().stateAsString(),
                        details == null ? Optional.empty() : Optional.ofNullable(details.message()),
                        details == null ? Optional.empty() : Optional.ofNullable(details.logFile()), StepFailure.of(details)));
            }
            String reason = cluster.status() == null || cluster.status().stateChangeReason() == null ? ""
                    : String.valueOf(cluster.status().stateChangeReason().message());
            return new ClusterStatus(cluster.id(), cluster.name(), cluster.status() == null ? "UNKNOWN" : cluster.status().stateAsString(),
                    reason, cluster.logUri() == null ? "" : cluster.logUri(), steps);
        } catch (InvalidRequestException e) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, "status: no cluster " + clusterId + " in this region: " + e.getMessage());
        } catch (SdkException e) {
            throw new YoloFleetException(ErrorCode.IO, "status: cannot reach EMR: " + e.getMessage());
        }
    }

    /** The report {@code status} prints. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("cluster " + clusterId + " (" + name + "): " + state + (stateReason.isEmpty() || stateReason.equals("null") ? "" : " - " + stateReason));
        for (Step step : steps) {
            lines.add(String.format("  %-8s %-40s %s", step.state(), step.name(), step.id()));
        }
        failedStep().ifPresent(step -> {
            lines.add("failed step: " + step.name());
            step.failureMessage().ifPresent(message -> lines.add("  message: " + message));
            lines.add("  error: " + step.failure().map(StepFailure::describe)
                    .orElse("not in EMR's failure details; the step's stderr says error: [CODE] ..."));
            lines.add("  logs: " + step.logFile().orElse(logUri.isEmpty() ? "(no log URI)" : logUri + clusterId + "/steps/" + step.id() + "/"));
        });
        if (!logUri.isEmpty()) {
            lines.add("logs: " + logUri + clusterId + "/");
        }
        return lines;
    }
}

package org.yolofleet.emr;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.emr.cluster.NightlyJobFlow;
import org.yolofleet.emr.cluster.SdkJson;
import org.yolofleet.emr.config.LauncherConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.RunJobFlowRequest;
import software.amazon.awssdk.services.emr.model.RunJobFlowResponse;

import java.time.Clock;

/** {@code run}: starts one night now, on a transient cluster. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start one night now on a transient EMR cluster.",
                "The cluster comes from the cluster template; its steps are prepare, augment, train and",
                "publish, each spark-submit --deploy-mode cluster of the deployed jar; the cluster ends after the last step",
                "(or the first failed one, cluster.action-on-failure). Prints the cluster id; follow it with status."})
final class RunCommand implements Runnable {
    @Mixin
    LauncherOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--deploy-version", paramLabel = "VERSION", description = "run this deployed version instead of the configuration's 'version'")
    String version;

    @Option(names = "--run-id", paramLabel = "ID", description = "the night's run id (default: now, yyyyMMddTHHmmssZ in UTC)")
    String runId;

    @Option(names = "--print-request", description = "print the RunJobFlow request as EMR's API JSON and start nothing")
    boolean printRequest;

    @Override
    public void run() {
        LauncherConfig config = options.config();
        String id = runId == null ? NightlyJobFlow.runIdNow(Clock.systemUTC()) : runId;
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new YoloFleetException(ErrorCode.CONFIG, "run: --run-id '" + id + "': use letters, digits, '-', '_' and '.', starting with a letter or digit");
        }
        RunJobFlowRequest request = NightlyJobFlow.request(config, version == null ? config.version() : version, id);
        if (printRequest) {
            spec.commandLine().getOut().println(SdkJson.write(request));
            return;
        }
        try (EmrClient emr = options.clients(config).emr()) {
            RunJobFlowResponse response = emr.runJobFlow(request);
            spec.commandLine().getOut().printf("started %s (%s), run %s: yolofleet-emr status %s%n", response.jobFlowId(), request.name(), id,
                    response.jobFlowId());
        } catch (SdkException e) {
            throw AwsFailures.of("run: EMR refused RunJobFlow", e,
                    "check the roles, the subnets and your credentials' elasticmapreduce:RunJobFlow and iam:PassRole");
        }
    }
}

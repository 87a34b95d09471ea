package org.yolofleet.emr;

import org.yolofleet.emr.cluster.ClusterStatus;
import org.yolofleet.emr.config.LauncherConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.emr.EmrClient;

/** {@code status CLUSTER-ID}: the cluster's and its steps' states, the failed step's typed error and the logs. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Print a cluster's and its steps' states, the failed step's typed error and the logs.",
                "Print a cluster's state and its steps' states in run order; for a failed step, EMR's message, the",
                "typed error (USER 3, BAD_DATA 4, EXTERNAL 5, REFUSED 6, INTERNAL 70, usage 2) when the failure details carry",
                "it, and where its logs are in S3."})
final class StatusCommand implements Runnable {
    @Mixin
    LauncherOptions options;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CLUSTER-ID", description = "the cluster run printed (j-...)")
    String clusterId;

    @Override
    public void run() {
        LauncherConfig config = options.config();
        try (EmrClient emr = options.clients(config).emr()) {
            ClusterStatus.read(emr, clusterId).lines().forEach(spec.commandLine().getOut()::println);
        }
    }
}

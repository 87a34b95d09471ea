package org.yolofleet.emr;

import org.yolofleet.emr.cluster.NightlyJobFlow;
import org.yolofleet.emr.config.LauncherConfig;
import org.yolofleet.emr.schedule.NightlySchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/** {@code schedule}: the nightly EventBridge Scheduler schedule that sends run's request. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = {"Create or update the nightly EventBridge Scheduler schedule.",
                "Create (or update) the EventBridge Scheduler schedule of schedule.*: at schedule.cron in",
                "schedule.time-zone it calls arn:aws:scheduler:::aws-sdk:emr:runJobFlow with the same RunJobFlow request run",
                "sends; its run id is Scheduler's execution id, filled in at each invocation."})
final class ScheduleCommand implements Runnable {
    @Mixin
    LauncherOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--deploy-version", paramLabel = "VERSION", description = "schedule this deployed version instead of the configuration's 'version'")
    String version;

    @Override
    public void run() {
        LauncherConfig config = options.config();
        var request = NightlyJobFlow.request(config, version == null ? config.version() : version, NightlyJobFlow.SCHEDULED_RUN_ID);
        try (SchedulerClient scheduler = options.clients(config).scheduler()) {
            String arn = new NightlySchedule(scheduler).put(config, request);
            spec.commandLine().getOut().printf("scheduled %s: %s %s, RunJobFlow %s%n", arn, config.schedule().cron(),
                    config.schedule().timeZone(), request.releaseLabel());
        }
    }
}

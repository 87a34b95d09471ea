package org.yolofleet.emr;

import org.yolofleet.emr.config.LauncherConfig;
import org.yolofleet.emr.schedule.NightlySchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/** {@code unschedule}: deletes the nightly schedule. */
@Command(name = "unschedule", mixinStandardHelpOptions = true,
        description = "Delete the schedule of schedule.name in schedule.group (clusters already started keep running).")
final class UnscheduleCommand implements Runnable {
    @Mixin
    LauncherOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LauncherConfig config = options.config();
        try (SchedulerClient scheduler = options.clients(config).scheduler()) {
            boolean deleted = new NightlySchedule(scheduler).delete(config.schedule());
            spec.commandLine().getOut().println((deleted ? "deleted " : "no schedule ") + config.schedule().group() + "/" + config.schedule().name());
        }
    }
}

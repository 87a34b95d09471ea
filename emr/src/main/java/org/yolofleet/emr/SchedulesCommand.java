package org.yolofleet.emr;

import org.yolofleet.emr.config.LauncherConfig;
import org.yolofleet.emr.schedule.NightlySchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/** {@code schedules}: lists the schedules of the group. */
@Command(name = "schedules", mixinStandardHelpOptions = true,
        description = "List the schedules in schedule.group whose name starts with --prefix: name, state, target.")
final class SchedulesCommand implements Runnable {
    @Mixin
    LauncherOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--prefix", paramLabel = "NAME", defaultValue = "", description = "only schedules whose name starts with this")
    String prefix;

    @Override
    public void run() {
        LauncherConfig config = options.config();
        try (SchedulerClient scheduler = options.clients(config).scheduler()) {
            var schedules = new NightlySchedule(scheduler).list(config.schedule().group(), prefix);
            schedules.forEach(schedule -> spec.commandLine().getOut().printf("%-30s %-9s %s%n", schedule.name(), schedule.stateAsString(),
                    schedule.target() == null ? "" : schedule.target().arn()));
            spec.commandLine().getOut().println(schedules.size() + " schedule(s) in " + config.schedule().group());
        }
    }
}

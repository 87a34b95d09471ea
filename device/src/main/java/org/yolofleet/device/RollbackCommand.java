package org.yolofleet.device;

import org.yolofleet.device.config.DeviceConfig;
import org.yolofleet.device.install.InstalledRelease;
import org.yolofleet.device.sync.EventLog;
import org.yolofleet.device.sync.Rollback;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code yolofleet-agent rollback}: back to the previous installed release, held until the channel moves past the current one. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Switches 'current' to the installed release before it (verified again first) and runs the post-switch command"
                + " and health check. Syncs then leave the release rolled back from (and any of no higher sequence) alone; the next"
                + " newer release the channel serves is installed as usual."})
final class RollbackCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        DeviceConfig device = config.load();
        CommandLine line = spec.commandLine();
        return Locked.run(device, line, () -> {
            InstalledRelease release = new Rollback(device, new EventLog(line.getOut()), Clock.systemUTC()).run();
            line.getOut().println("current: " + release.version() + " (sequence " + release.sequence() + ")");
            line.getOut().flush();
            return 0;
        });
    }
}

package org.yolofleet.device;

import org.yolofleet.device.config.DeviceConfig;
import org.yolofleet.device.install.AgentState;
import org.yolofleet.device.install.InstallDirectory;
import org.yolofleet.device.install.InstalledRelease;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code yolofleet-agent list}: the installed releases. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the installed releases, newest first; '*' marks the current one.")
final class ListCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        DeviceConfig device = config.load();
        InstallDirectory install = new InstallDirectory(device.installDirectory());
        Optional<String> current = install.currentVersion();
        AgentState state = install.stateFile().read();
        PrintWriter out = spec.commandLine().getOut();
        for (InstalledRelease release : install.releases()) {
            boolean isCurrent = current.filter(release.version()::equals).isPresent();
            out.printf("%s %-24s sequence %-6d created %s  %s%s%n", isCurrent ? "*" : " ", release.version(), release.sequence(),
                    release.manifest().createdAt(), device.profile().modelArtifact(release.manifest()).map(artifact -> artifact.name()).orElse("-"),
                    state.isBad(release.version()) ? "  (bad)" : "");
        }
        out.flush();
        return 0;
    }
}

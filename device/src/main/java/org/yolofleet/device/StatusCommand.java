package org.yolofleet.device;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yolofleet.device.config.DeviceConfig;
import org.yolofleet.device.install.AgentState;
import org.yolofleet.device.install.InstallDirectory;
import org.yolofleet.device.install.InstalledRelease;
import org.yolofleet.device.install.StateFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code yolofleet-agent status}: what runs, and what happened last. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows the current release, the last event and the last error (a refused release and why), bad versions and an"
                + " operator's rollback hold.")
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "Print JSON (the state file's fields, plus model, channel, profile and current).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DeviceConfig device = config.load();
        InstallDirectory install = new InstallDirectory(device.installDirectory());
        AgentState state = install.stateFile().read();
        Optional<InstalledRelease> current = install.current();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode node = MAPPER.createObjectNode();
            node.put("model", device.model());
            node.put("channel", device.channel());
            node.put("profile", device.profile().key());
            node.put("store", device.store().toString());
            node.put("current", current.map(InstalledRelease::version).orElse(null));
            if (current.isPresent()) {
                node.put("currentSequence", current.get().sequence());
            }
            else {
                node.putNull("currentSequence");
            }
            node.set("state", StateFile.toJson(state));
            out.println(MAPPER.writeValueAsString(node));
        }
        else {
            out.println("model " + device.model() + ", channel " + device.channel() + ", profile " + device.profile().key() + ", store " + device.store());
            out.println("current: " + current.map(release -> release.version() + " (sequence " + release.sequence() + ", created "
                    + release.manifest().createdAt() + ")").orElse("nothing installed"));
            state.lastEvent().ifPresent(event -> out.println("last event: " + event.at() + " " + event.name() + " " + event.message()));
            state.lastError().ifPresent(error -> out.println("last error: " + error.at() + " [" + error.code().orElse("?") + "] " + error.message()));
            state.rollbackHold().ifPresent(hold -> out.println("rollback hold: rolled back from " + hold.version() + " at " + hold.at()
                    + "; releases up to sequence " + hold.sequence() + " are not installed"));
            for (AgentState.BadVersion bad : state.badVersions()) {
                out.println("bad version: " + bad.version() + " (sequence " + bad.sequence() + ") " + bad.at() + ": " + bad.reason());
            }
            state.pending().ifPresent(pending -> out.println("switch in progress: " + pending.version() + " (finished by the next sync)"));
        }
        out.flush();
        return 0;
    }
}

package org.yolofleet.device.sync;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.Failures;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.device.config.DeviceConfig;
import org.yolofleet.device.install.AgentState;
import org.yolofleet.device.install.Hook;
import org.yolofleet.device.install.InstallDirectory;
import org.yolofleet.device.install.InstalledRelease;
import org.yolofleet.device.install.StateFile;

import java.time.Clock;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code yolofleet-agent rollback}: switches {@code current} to the installed release of the next lower sequence (not one
 * marked bad), after verifying it in full, and records the release rolled back from as a hold: syncs leave the channel's
 * releases up to that sequence alone, and install the next newer one. The post-switch command and health check run as
 * after a sync; their failure is reported but does not switch again (the operator asked for this release). The caller
 * holds the {@link org.yolofleet.device.install.InstanceLock}.
 */
public final class Rollback {
    private final DeviceConfig config;
    private final EventLog log;
    private final Clock clock;
    private final InstallDirectory install;
    private final StateFile stateFile;

    public Rollback(DeviceConfig config, EventLog log, Clock clock) {
        this.config = requireNonNull(config, "config");
        this.log = requireNonNull(log, "log");
        this.clock = requireNonNull(clock, "clock");
        this.install = new InstallDirectory(config.installDirectory());
        this.stateFile = install.stateFile();
    }

    /** Rolls back one release; returns the release now current. */
    public InstalledRelease run() {
        try {
            return rollBack();
        }
        catch (RuntimeException failure) {
            YoloFleetException reported = Failures.toReport(failure);
            log.event("failed", "code", reported.code(), "reason", reported.getMessage());
            throw reported;
        }
    }

    private InstalledRelease rollBack() {
        InstalledRelease current = install.current().orElseThrow(() -> new YoloFleetException(ErrorCode.NOT_FOUND,
                "nothing is installed in " + install.root() + ": there is no release to roll back from"));
        AgentState state = stateFile.read();
        InstalledRelease target = install.releases().stream()
                .filter(release -> release.sequence() < current.sequence() && !state.isBad(release.version()))
                .findFirst()
                .orElseThrow(() -> new YoloFleetException(ErrorCode.NOT_FOUND, "no release older than " + current.version() + " (sequence "
                        + current.sequence() + ") is kept in " + install.root().resolve(InstallDirectory.RELEASES)
                        + " (device.keep-releases = " + config.keepReleases() + "); nothing was changed"));
        install.verify(target, new ReleaseVerifier(TrustedKeys.fromPemFiles(config.trustedKeys())), config.profile());
        install.switchTo(target.version());
        AgentState.Hold hold = new AgentState.Hold(current.version(), current.sequence(), clock.instant());
        AgentState rolledBack = state.withInstalled(target.version(), target.sequence()).withRollbackHold(Optional.of(hold)).withPending(Optional.empty())
                .withEvent(new AgentState.Event("rolled-back", Optional.empty(), "from " + current.version() + " to " + target.version(), clock.instant()));
        stateFile.write(rolledBack);
        log.event("rolled-back", "version", target.version(), "sequence", target.sequence(), "from", current.version(), "hold-until-above",
                current.sequence());
        Optional<String> failure = config.postSwitchCommand()
                .flatMap(command -> Hook.run(command, config.healthCheckTimeout(), target.version(), target.directory()))
                .map(why -> "post-switch command " + why)
                .or(() -> config.healthCheckCommand()
                        .flatMap(command -> Hook.run(command, config.healthCheckTimeout(), target.version(), target.directory()))
                        .map(why -> "health check " + why));
        if (failure.isPresent()) {
            throw new YoloFleetException(ErrorCode.HEALTH_CHECK_FAILED, "rolled back to " + target.version() + ", but its " + failure.get()
                    + "; it stays current (run sync or rollback again)");
        }
        return target;
    }
}

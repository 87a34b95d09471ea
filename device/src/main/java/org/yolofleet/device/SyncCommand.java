package org.yolofleet.device;

import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.device.config.DeviceConfig;
import org.yolofleet.device.install.FreeSpace;
import org.yolofleet.device.source.Backoff;
import org.yolofleet.device.source.ReleaseSource;
import org.yolofleet.device.source.ReleaseSources;
import org.yolofleet.device.sync.EventLog;
import org.yolofleet.device.sync.Sync;
import org.yolofleet.device.sync.SyncOutcome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/** {@code yolofleet-agent sync}: what the systemd timer runs. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Installs the channel's release if it is new: conditional GET of the channel pointer (an unchanged channel costs"
                + " one request), Ed25519 verification, ranged download, SHA-256 check, atomic switch of 'current', post-switch"
                + " command and health check (switching back on failure).",
                "Exit 0 when the device runs the channel's release (or holds back on purpose), 75 when another agent runs."})
final class SyncCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--loop", description = "Poll forever, every device.poll.interval plus up to device.poll.jitter (for devices without systemd).")
    boolean loop;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        DeviceConfig device = config.load();
        CommandLine line = spec.commandLine();
        EventLog log = new EventLog(line.getOut());
        while (true) {
            int exit;
            try {
                exit = Locked.run(device, line, () -> {
                    syncOnce(device, log);
                    return 0;
                });
            }
            catch (YoloFleetException failure) {
                if (!loop) {
                    throw failure;
                }
                exit = failure.code().type().exitCode();
            }
            if (!loop) {
                return exit;
            }
            long jitter = device.poll().jitter().toMillis();
            Duration wait = device.poll().interval().plusMillis(jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitter + 1));
            log.event("sleep", "seconds", wait.toSeconds(), "last-exit", exit);
            Thread.sleep(wait.toMillis());
        }
    }

    static SyncOutcome syncOnce(DeviceConfig device, EventLog log) {
        ReleaseSource source = ReleaseSources.decorate(ReleaseSources.plain(device), device, Backoff.THREAD_SLEEP,
                line -> log.event("retry", "detail", line));
        try {
            return new Sync(device, source, ReleaseSources.backoff(device, Backoff.THREAD_SLEEP), FreeSpace.FILE_STORE, log,
                    Clock.systemUTC()).run();
        }
        finally {
            try {
                source.close();
            }
            catch (IOException ignored) {
                // the sync is over; a connection that does not close cleanly changes nothing on the device
            }
        }
    }
}

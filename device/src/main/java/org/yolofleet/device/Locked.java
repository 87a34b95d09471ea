package org.yolofleet.device;

import org.yolofleet.device.config.DeviceConfig;
import org.yolofleet.device.install.InstallDirectory;
import org.yolofleet.device.install.InstanceLock;
import picocli.CommandLine;

import java.util.Optional;
import java.util.function.IntSupplier;

/** Runs a command that changes the install directory under the instance lock, or exits {@link Agent#EXIT_LOCKED}. */
final class Locked {
    private Locked() {
    }

    static int run(DeviceConfig config, CommandLine commandLine, IntSupplier action) {
        InstallDirectory install = new InstallDirectory(config.installDirectory());
        install.create();
        Optional<InstanceLock> lock = InstanceLock.acquire(install.lockFile(), config.lockWait());
        if (lock.isEmpty()) {
            commandLine.getErr().println("another yolofleet-agent holds " + install.lockFile() + " (waited " + config.lockWait().toSeconds()
                    + "s, device.lock-wait); exiting, the next run tries again");
            commandLine.getErr().flush();
            return Agent.EXIT_LOCKED;
        }
        try (InstanceLock held = lock.get()) {
            return action.getAsInt();
        }
    }
}

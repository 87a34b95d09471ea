package org.yolofleet.device.install;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A shell command the agent runs after a switch ({@code device.post-switch-command}, {@code device.health-check.command})
 * with {@code /bin/sh -c}, its output going to the agent's (the journal), and {@code YOLOFLEET_VERSION} and
 * {@code YOLOFLEET_RELEASE_DIR} set. A command still running at the timeout is killed, with its children, and fails.
 */
public final class Hook {
    private Hook() {
    }

    /** Runs {@code command}; empty when it exited 0, else why it failed. */
    public static Optional<String> run(String command, Duration timeout, String version, Path releaseDirectory) {
        requireNonNull(command, "command");
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).inheritIO();
        Map<String, String> environment = builder.environment();
        environment.put("YOLOFLEET_VERSION", version);
        environment.put("YOLOFLEET_RELEASE_DIR", releaseDirectory.toString());
        Process process;
        try {
            process = builder.start();
        }
        catch (IOException e) {
            return Optional.of("cannot start '" + command + "': " + e.getMessage());
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return Optional.of("'" + command + "' ran longer than " + timeout.toSeconds() + "s (device.health-check.timeout) and was killed");
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.of("'" + command + "' was interrupted");
        }
        int exit = process.exitValue();
        return exit == 0 ? Optional.empty() : Optional.of("'" + command + "' exited with " + exit);
    }
}

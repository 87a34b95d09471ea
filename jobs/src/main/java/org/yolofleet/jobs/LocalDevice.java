package org.yolofleet.jobs;

import org.yolofleet.config.Hocon;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.device.Agent;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The device end of {@code run-local}: a Raspberry Pi agent ({@code yolofleet-agent}, CPU profile) with its own install
 * directory, made afresh each run, trusting the demo's public key, syncs the channel the demo just published from the
 * local release store, then runs the installed model on one image with {@code detect}.
 */
public final class LocalDevice {
    /** What the agent did: each command's exit code and what it printed (sync's event lines, detect's JSON lines). */
    public record Result(Path directory, int syncExit, String syncLog, int detectExit, List<String> detections, String detectSummary) {
        public Result {
            requireNonNull(directory, "directory");
            detections = List.copyOf(detections);
        }

        public String text() {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "device: yolofleet-agent (cpu profile) in %s%n", directory));
            syncLog.lines().forEach(line -> text.append("  sync   ").append(line).append('\n'));
            detections.forEach(line -> text.append("  detect ").append(line).append('\n'));
            detectSummary.lines().forEach(line -> text.append("  ").append(line).append('\n'));
            return text.toString();
        }
    }

    private LocalDevice() {
    }

    /**
     * Installs the release {@code channel} of {@code model} points at in {@code releases} into {@code directory}
     * ({@code device.conf} and {@code install/}, removed first) and runs it on {@code image}.
     */
    static Result syncAndDetect(Path directory, Path releases, String model, String channel, Path publicKey, Path image) {
        Path configuration = writeConfiguration(directory, releases, model, channel, publicKey);
        StringWriter syncOut = new StringWriter();
        int syncExit = run(syncOut, syncOut, "sync", "--config", configuration.toString());
        if (syncExit != 0) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "the demo's agent could not install the release it was given (exit " + syncExit
                    + "):\n" + syncOut);
        }
        StringWriter detections = new StringWriter();
        StringWriter summary = new StringWriter();
        int detectExit = run(detections, summary, "detect", "--config", configuration.toString(), image.toString());
        return new Result(directory, syncExit, syncOut.toString(), detectExit, detections.toString().lines().toList(), summary.toString());
    }

    private static int run(StringWriter out, StringWriter err, String... arguments) {
        CommandLine agent = Agent.commandLine();
        agent.setOut(new PrintWriter(out, true));
        agent.setErr(new PrintWriter(err, true));
        return agent.execute(arguments);
    }

    private static Path writeConfiguration(Path directory, Path releases, String model, String channel, Path publicKey) {
        Path install = directory.resolve("install");
        Path configuration = directory.resolve("device.conf");
        String text = String.join("\n",
                "# the demo's device: written by yolofleet run-local (keys: device/src/main/resources/device-defaults.conf)",
                "device {",
                "  store = " + quoted(releases.toUri().toString()),
                "  model = " + quoted(model),
                "  channel = " + quoted(channel),
                "  profile = cpu",
                "  trusted-keys = [" + quoted(publicKey.toString()) + "]",
                "  install-dir = " + quoted(install.toString()),
                "}", "");
        try {
            deleteRecursively(directory);
            Files.createDirectories(directory);
            Files.writeString(configuration, text, StandardCharsets.UTF_8);
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot prepare the demo's device in " + directory + ": " + failure.getMessage(), failure);
        }
        return configuration;
    }

    private static String quoted(String value) {
        return Hocon.string(value);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}

package org.yolofleet.publish.compile;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Runs the vendor compilers of the publish stage where their tools are installed, and says per compiler whether the
 * release got its artifact. Each compilation runs in a fresh work directory without a shell; its stdout and stderr go
 * to {@code compile-<name>.log} in the release (under a header naming the command, the configuration file and the
 * tool's version), of which only the last few KiB are held in memory, for the reason of a failure. A tool not on the
 * PATH is skipped; a non-zero exit, a timeout (the whole process tree is stopped) or an exit without a non-empty
 * output is a failure. Only a produced artifact is moved into the release. A compiler marked {@code required} turns
 * a skip or failure into {@link ErrorCode#COMPILER_FAILED}.
 */
public final class CompilerRunner {
    /** How much of a compiler's output ends up in a failure's reason. */
    public static final int DEFAULT_LOG_TAIL_BYTES = 4 * 1024;

    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    private static final int VERSION_MAXIMUM_CHARACTERS = 200;

    private final SearchPath searchPath;
    private final int logTailBytes;

    /**
     * @param searchPath   where programs are looked up, and the PATH the compilers run with
     * @param logTailBytes how many bytes of a compiler's output a failure's reason quotes (at most)
     */
    public CompilerRunner(SearchPath searchPath, int logTailBytes) {
        this.searchPath = requireNonNull(searchPath, "searchPath");
        if (logTailBytes < 1) {
            throw new IllegalArgumentException("log tail must be at least 1 byte, got " + logTailBytes);
        }
        this.logTailBytes = logTailBytes;
    }

    /**
     * Every configured compiler, in the configuration's order: a disabled one and one whose export was not made are
     * skipped, the others run on the export of their input format.
     *
     * @param exports          the exported models by format (a format missing here was not exported)
     * @param releaseDirectory where artifacts and logs go
     * @throws YoloFleetException {@link ErrorCode#COMPILER_FAILED} when a required compiler produced nothing
     */
    public List<CompileOutcome> runAll(CompilerConfig config, Map<InputFormat, Path> exports, Path releaseDirectory) {
        requireNonNull(config, "config");
        requireNonNull(exports, "exports");
        List<CompileOutcome> outcomes = new ArrayList<>();
        for (CompilerSpec spec : config.compilers()) {
            Path input = exports.get(spec.inputFormat());
            if (!spec.enabled()) {
                outcomes.add(CompileOutcome.skipped(spec, "disabled (yolofleet.publish.compilers." + spec.name() + ".enabled = false)", Duration.ZERO));
            } else if (input == null) {
                outcomes.add(requireProducedIfRequired(spec, CompileOutcome.skipped(spec,
                        "no " + spec.inputFormat().name().toLowerCase(Locale.ROOT).replace('_', '-') + " export to compile",
                        Duration.ZERO)));
            } else {
                outcomes.add(run(spec, input, releaseDirectory));
            }
        }
        return List.copyOf(outcomes);
    }

    /**
     * Compiles {@code input} with one compiler, whatever its {@code enabled} says.
     *
     * @param input            the export the compiler reads (an existing file)
     * @param releaseDirectory where the artifact (only when produced) and the log go; created if missing
     * @throws YoloFleetException {@link ErrorCode#COMPILER_FAILED} when the compiler is required and produced nothing;
     *                            {@link ErrorCode#IO} when the release or work directory cannot be written
     */
    public CompileOutcome run(CompilerSpec spec, Path input, Path releaseDirectory) {
        requireNonNull(spec, "spec");
        requireNonNull(input, "input");
        requireNonNull(releaseDirectory, "releaseDirectory");
        if (!Files.isRegularFile(input)) {
            throw new IllegalArgumentException("the export to compile, " + input + ", is not a file");
        }
        try {
            return requireProducedIfRequired(spec, attempt(spec, input, releaseDirectory));
        } catch (IOException | UncheckedIOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "compiler " + spec.name() + ": cannot write its work directory or "
                    + releaseDirectory + ": " + failure.getMessage(), failure);
        }
    }

    private CompileOutcome attempt(CompilerSpec spec, Path input, Path releaseDirectory) throws IOException {
        long started = System.nanoTime();
        String program = spec.command().program();
        Optional<Path> executable = searchPath.find(program);
        if (executable.isEmpty()) {
            String where = Path.of(program).isAbsolute() ? " does not exist or is not executable" : " not found on PATH";
            return CompileOutcome.skipped(spec, program + where, since(started));
        }
        Files.createDirectories(releaseDirectory);
        Path log = releaseDirectory.resolve("compile-" + spec.name() + ".log");
        Path workDirectory = Files.createTempDirectory("yolofleet-compile-" + spec.name() + "-");
        try {
            Map<CommandTemplate.Placeholder, String> values = new EnumMap<>(CommandTemplate.Placeholder.class);
            values.put(CommandTemplate.Placeholder.INPUT, input.toAbsolutePath().toString());
            values.put(CommandTemplate.Placeholder.OUTPUT, workDirectory.resolve(spec.output()).toString());
            values.put(CommandTemplate.Placeholder.WORKDIR, workDirectory.toString());
            if (!spec.configFile().isEmpty()) {
                Path configFile = workDirectory.resolve(spec.configFile());
                Files.write(configFile, spec.configLines(), StandardCharsets.UTF_8);
                values.put(CommandTemplate.Placeholder.CONFIG, configFile.toString());
            }
            Optional<String> version = spec.versionCommand().flatMap(command -> version(command, values, workDirectory));
            List<String> arguments = new ArrayList<>(spec.command().substitute(values));
            arguments.set(0, executable.get().toString());
            Files.writeString(log, header(spec, arguments, workDirectory, version), StandardCharsets.UTF_8);
            long headerBytes = Files.size(log);

            Execution execution;
            try {
                execution = execute(arguments, workDirectory, log, spec.timeout());
            } catch (IOException cannotStart) {
                appendLog(log, "# could not start: " + cannotStart.getMessage());
                return CompileOutcome.failed(spec, program + " could not be started: " + cannotStart.getMessage(), log, since(started), version);
            }
            String tail = tail(log, headerBytes);
            if (execution.interrupted()) {
                appendLog(log, "# interrupted: stopped the process and its " + execution.stoppedChildren() + " child processes");
                return CompileOutcome.failed(spec, program + " was interrupted" + quoted(tail), log, since(started), version);
            }
            if (execution.timedOut()) {
                appendLog(log, "# timed out after " + text(spec.timeout()) + ": stopped the process and its "
                        + execution.stoppedChildren() + " child processes");
                return CompileOutcome.failed(spec, program + " timed out after " + text(spec.timeout()) + " (stopped with its "
                        + execution.stoppedChildren() + " child processes)" + quoted(tail), log, since(started), version);
            }
            appendLog(log, "# exit code " + execution.exitCode() + " after " + text(since(started)));
            if (execution.exitCode() != 0) {
                return CompileOutcome.failed(spec, program + " exited with code " + execution.exitCode() + quoted(tail), log, since(started), version);
            }
            Path written = workDirectory.resolve(spec.output());
            if (!Files.isRegularFile(written)) {
                return CompileOutcome.failed(spec, program + " exited with code 0 but wrote no " + spec.output() + quoted(tail),
                        log, since(started), version);
            }
            long bytes = Files.size(written);
            if (bytes == 0) {
                return CompileOutcome.failed(spec, program + " exited with code 0 but wrote an empty " + spec.output() + " (0 bytes)"
                        + quoted(tail), log, since(started), version);
            }
            Path artifact = releaseDirectory.resolve(spec.output());
            Files.move(written, artifact, StandardCopyOption.REPLACE_EXISTING);
            return CompileOutcome.produced(spec, artifact, bytes, log, since(started), version);
        } finally {
            deleteRecursively(workDirectory);
        }
    }

    /** How one process ended: exited (with its code), timed out or interrupted (its tree stopped). */
    private record Execution(int exitCode, boolean timedOut, boolean interrupted, int stoppedChildren) {
    }

    private Execution execute(List<String> arguments, Path workDirectory, Path output, Duration timeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(arguments)
                .directory(workDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().put("PATH", searchPath.text());
        Process process = builder.start();
        process.getOutputStream().close();
        try {
            if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return new Execution(process.exitValue(), false, false, 0);
            }
            return new Execution(-1, true, false, ProcessTree.stop(process, STOP_GRACE));
        } catch (InterruptedException interrupted) {
            int children;
            try {
                children = ProcessTree.stop(process, STOP_GRACE);
            } catch (InterruptedException again) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                children = 0;
            }
            Thread.currentThread().interrupt();
            return new Execution(-1, false, true, children);
        }
    }

    /** The first line the version command prints (stdout and stderr), when it runs within its time. */
    private Optional<String> version(CommandTemplate command, Map<CommandTemplate.Placeholder, String> values, Path workDirectory) {
        Optional<Path> executable = searchPath.find(command.program());
        if (executable.isEmpty() || Thread.currentThread().isInterrupted()) {
            return Optional.empty();
        }
        try {
            List<String> arguments = new ArrayList<>(command.substitute(values));
            arguments.set(0, executable.get().toString());
            Path output = Files.createTempFile(workDirectory, "version-", ".txt");
            Execution execution = execute(arguments, workDirectory, output, VERSION_TIMEOUT);
            if (execution.timedOut() || execution.interrupted()) {
                return Optional.empty();
            }
            try (Stream<String> lines = Files.lines(output, StandardCharsets.UTF_8)) {
                return lines.map(String::strip)
                        .filter(line -> !line.isEmpty())
                        .findFirst()
                        .map(line -> line.length() > VERSION_MAXIMUM_CHARACTERS ? line.substring(0, VERSION_MAXIMUM_CHARACTERS) : line);
            }
        } catch (IOException | UncheckedIOException unreadable) {
            return Optional.empty();
        }
    }

    private static String header(CompilerSpec spec, List<String> arguments, Path workDirectory, Optional<String> version) {
        StringBuilder header = new StringBuilder();
        header.append("# yolofleet publish: compiler ").append(spec.name()).append(", ").append(spec.output())
                .append(" for ").append(spec.target().name().toLowerCase(Locale.ROOT)).append('\n');
        header.append("# command: ").append(CommandTemplate.render(arguments)).append('\n');
        header.append("# working directory: ").append(workDirectory).append('\n');
        header.append("# timeout: ").append(text(spec.timeout())).append('\n');
        if (!spec.configFile().isEmpty()) {
            header.append("# ").append(spec.configFile()).append(":\n");
            spec.configLines().forEach(line -> header.append("#   ").append(line).append('\n'));
        }
        spec.versionCommand().ifPresent(command -> header.append("# version (").append(CommandTemplate.render(command.arguments()))
                .append("): ").append(version.orElse("(no answer)")).append('\n'));
        return header.toString();
    }

    /** The last {@link #logTailBytes} of the log after its header, trimmed; "..." marks a cut. */
    private String tail(Path log, long from) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(log, StandardOpenOption.READ)) {
            long size = channel.size();
            long start = Math.max(from, size - logTailBytes);
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - start));
            channel.position(start);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // read to the end
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
            return start > from && !text.isEmpty() ? "..." + text : text;
        }
    }

    private static String quoted(String tail) {
        return tail.isEmpty() ? " (it printed nothing)" : "; its output ends:\n" + tail;
    }

    private static void appendLog(Path log, String line) throws IOException {
        Files.writeString(log, "\n" + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static CompileOutcome requireProducedIfRequired(CompilerSpec spec, CompileOutcome outcome) {
        if (spec.required() && !outcome.produced()) {
            throw new YoloFleetException(ErrorCode.COMPILER_FAILED, "compiler " + spec.name() + " (" + spec.output() + " for "
                    + spec.target().name().toLowerCase(Locale.ROOT) + ") is required and "
                    + (outcome.status() == CompileOutcome.Status.SKIPPED ? "was skipped" : "failed") + ": " + outcome.reason()
                    + outcome.log().map(log -> "\n(log: " + log + ")").orElse("")
                    + "\nInstall the tool on this host, or set yolofleet.publish.compilers." + spec.name()
                    + ".required = false to publish without " + spec.output());
        }
        return outcome;
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** A duration as the configuration writes it: {@code 10m}, {@code 1s}, {@code 1.2s}. */
    static String text(Duration duration) {
        long millis = duration.toMillis();
        if (millis > 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

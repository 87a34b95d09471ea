package org.yolofleet.device.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * The agent as a separate JVM, for the kill-anywhere tests: {@code java -Xmx64m -cp <this test classpath>
 * org.yolofleet.device.Agent <arguments>}, its standard output and error merged and collected line by line. A test
 * waits for a log line (or a delay) and kills it with {@code kill -9} ({@link Process#destroyForcibly()}), or lets it
 * finish; either way it gets the output and how the process ended.
 *
 * <pre>{@code
 * AgentProcess.Result result = AgentProcess.sync(configFile).killWhen(line -> line.contains("download"), Duration.ofSeconds(30));
 * AgentProcess.Result again = AgentProcess.sync(configFile).await(Duration.ofSeconds(60));
 * }</pre>
 */
public final class AgentProcess {
    /** The agent's main class; named, not referenced, so this compiles without it. */
    public static final String MAIN_CLASS = "org.yolofleet.device.Agent";
    /** The heap the agent gets on a Pi. */
    public static final List<String> JVM_OPTIONS = List.of("-Xmx64m");

    private final Process process;
    private final List<String> command;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> drained;
    private volatile Predicate<String> awaited = line -> false;
    private final CompletableFuture<String> matched = new CompletableFuture<>();

    /**
     * How the process ended.
     *
     * @param exitCode its exit code (137 or another non-zero value after a kill, as the platform reports it)
     * @param killed whether this harness killed it
     * @param output its standard output and error, merged, line by line
     * @param command the command line it ran
     */
    public record Result(int exitCode, boolean killed, List<String> output, List<String> command) {
        public Result {
            output = List.copyOf(output);
            command = List.copyOf(command);
        }

        /** The output as one text, for assertion messages. */
        public String text() {
            return String.join("\n", output);
        }
    }

    private AgentProcess(Process process, List<String> command) {
        this.process = process;
        this.command = List.copyOf(command);
        this.drained = CompletableFuture.runAsync(this::drain, runnable -> {
            Thread thread = new Thread(runnable, "agent-process-output");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** Starts {@code yolofleet-agent sync --config FILE}. */
    public static AgentProcess sync(Path configFile) throws IOException {
        return start(List.of("sync", "--config", requireNonNull(configFile, "configFile").toString()), Map.of());
    }

    /**
     * Starts the agent with these arguments.
     *
     * @param environment variables added to this JVM's environment (AWS credentials for S3Proxy, ...)
     */
    public static AgentProcess start(List<String> arguments, Map<String, String> environment) throws IOException {
        return start(MAIN_CLASS, arguments, environment);
    }

    /** Starts another main class of the test class path the same way (the harness's own test uses one). */
    public static AgentProcess start(String mainClass, List<String> arguments, Map<String, String> environment) throws IOException {
        requireNonNull(mainClass, "mainClass");
        requireNonNull(arguments, "arguments");
        requireNonNull(environment, "environment");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(testClassPath());
        command.add(mainClass);
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new AgentProcess(builder.start(), command);
    }

    /**
     * Kills the agent ({@code kill -9}) as soon as it prints a line that {@code line} accepts, or when it has not printed
     * one within {@code timeout}; if it exits first, nothing is killed and the result says so.
     */
    public Result killWhen(Predicate<String> line, Duration timeout) throws InterruptedException {
        requireNonNull(line, "line");
        awaited = line;
        lines.stream().filter(line).findFirst().ifPresent(matched::complete);
        CompletableFuture<Object> first = CompletableFuture.anyOf(matched, process.onExit());
        try {
            first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException | ExecutionException e) {
            // kill it anyway
        }
        return kill();
    }

    /** Kills the agent ({@code kill -9}) after {@code delay}, unless it exited before. */
    public Result killAfter(Duration delay) throws InterruptedException {
        requireNonNull(delay, "delay");
        process.waitFor(delay.toMillis(), TimeUnit.MILLISECONDS);
        return kill();
    }

    /** Waits for the agent to exit by itself; kills it and fails after {@code timeout}. */
    public Result await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            Result killed = kill();
            throw new AssertionError("the agent did not exit within " + timeout + "; killed. Output:\n" + killed.text());
        }
        return finish(false);
    }

    /** The lines printed so far. */
    public List<String> output() {
        return List.copyOf(lines);
    }

    public long pid() {
        return process.pid();
    }

    private Result kill() throws InterruptedException {
        boolean killed = process.isAlive();
        if (killed) {
            process.destroyForcibly();
        }
        process.waitFor();
        return finish(killed);
    }

    private Result finish(boolean killed) throws InterruptedException {
        try {
            drained.get(10, TimeUnit.SECONDS);
        }
        catch (ExecutionException | TimeoutException e) {
            // the output so far is what there is
        }
        return new Result(process.exitValue(), killed, lines, command);
    }

    private void drain() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                if (awaited.test(line)) {
                    matched.complete(line);
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This JVM's class path: surefire's test class path when it names one, else {@code java.class.path}. */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}

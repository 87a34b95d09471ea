package org.yolofleet.jobs;

import org.yolofleet.core.error.ErrorType;
import org.yolofleet.core.error.Failures;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The yolofleet command line: one verb per stage. The same class is the {@code spark-submit --class} entry point.
 */
@Command(name = "yolofleet",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Labelled photos to Tiny-YOLOv2 detectors for Movidius-equipped Raspberry Pis, with Spark.",
        subcommands = {
                GenerateSampleCommand.class,
                PrepareCommand.class,
                AugmentCommand.class,
                TrainCommand.class,
                PublishCommand.class,
                DetectCommand.class,
                PrelabelCommand.class,
                ModelCommand.class,
                RunLocalCommand.class,
                CommandLine.HelpCommand.class})
public final class YoloFleet implements Runnable {
    /** Exit code of a command line picocli rejects (unknown verb or option, missing argument): picocli's own. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] arguments) {
        int exitCode = execute(arguments);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /**
     * Runs a command line and returns its exit code: 0 success, {@value #EXIT_USAGE} usage error, otherwise the
     * {@link ErrorType#exitCode() exit code of the failure's type} (README "Exit codes").
     */
    public static int execute(String... arguments) {
        return commandLine().execute(arguments);
    }

    /** The command line with every verb and the failure reporting of {@link #report}. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new YoloFleet());
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> report(exception, line.getErr()));
        return commandLine;
    }

    /**
     * Prints {@code error: [CODE] message} for a failed run, with the stack trace only for a bug, and returns the
     * exit code of the error's type. A failure inside a Spark task arrives wrapped in a {@code SparkException};
     * {@link Failures} finds the code it was thrown with, so an S3 failure on an executor exits as retryable.
     */
    static int report(Throwable failure, PrintWriter error) {
        return Failures.print(Failures.toReport(failure), failure, error);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

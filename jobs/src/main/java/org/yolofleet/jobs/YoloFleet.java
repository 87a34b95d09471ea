package org.yolofleet.jobs;

import org.yolofleet.core.error.YoloFleetException;
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
                DetectCommand.class,
                ModelCommand.class,
                RunLocalCommand.class,
                CommandLine.HelpCommand.class})
public final class YoloFleet implements Runnable {
    /** Exit code of a run that failed with a {@link YoloFleetException} (a clear, categorised error). */
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] arguments) {
        int exitCode = execute(arguments);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** Runs a command line and returns its exit code (0 success, 1 failure, 2 usage error). */
    public static int execute(String... arguments) {
        CommandLine commandLine = new CommandLine(new YoloFleet());
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            PrintWriter error = line.getErr();
            if (exception instanceof YoloFleetException failure) {
                error.println("error: " + failure.getMessage());
            } else {
                error.println("error: [INTERNAL] " + exception);
                exception.printStackTrace(error);
            }
            error.flush();
            return EXIT_FAILURE;
        });
        return commandLine.execute(arguments);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

package org.yolofleet.device;

import org.yolofleet.core.error.Failures;
import org.yolofleet.device.detect.DetectCommand;
import org.yolofleet.device.install.InstallDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code yolofleet-agent}: the Raspberry Pi agent's command line. Exit codes are yolofleet's (0 success, 2 usage, 3
 * configuration, 4 bad data, 5 store or disk failure (retry), 6 refused release or failed health check, 70 bug), and
 * {@value #EXIT_LOCKED} when another agent holds the install directory's lock (not a failure: the timer tries again).
 */
@Command(name = "yolofleet-agent", mixinStandardHelpOptions = true, versionProvider = Agent.Version.class,
        description = "Keeps a channel's signed model release installed on this device (sync, status, rollback, verify, list) and runs it (detect).",
        subcommands = {SyncCommand.class, StatusCommand.class, RollbackCommand.class, VerifyCommand.class, ListCommand.class})
public final class Agent implements Runnable {
    /** Another agent holds the lock ({@code EX_TEMPFAIL} of sysexits.h). */
    public static final int EXIT_LOCKED = 75;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] arguments) {
        int exitCode = execute(arguments);
        System.exit(exitCode);
    }

    /** Runs a command line and returns its exit code. */
    public static int execute(String... arguments) {
        return commandLine().execute(arguments);
    }

    /** The command line with yolofleet's error reporting: {@code error: [CODE] message} and the code's exit code. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Agent());
        // detect runs the installed release ('current' of the configured install directory) unless given --release
        ConfigOption configuration = new ConfigOption();
        CommandLine detect = new CommandLine(new DetectCommand(() -> new InstallDirectory(configuration.load().installDirectory()).currentLink()));
        detect.addMixin("config", configuration);
        commandLine.addSubcommand(detect);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) ->
                Failures.print(Failures.toReport(exception), exception, line.getErr()));
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Agent.class.getPackage().getImplementationVersion();
            return new String[] {"yolofleet-agent " + (version == null ? "(development build)" : version)};
        }
    }
}

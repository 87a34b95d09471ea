package org.yolofleet.emr;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.Failures;
import org.yolofleet.core.error.YoloFleetException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code yolofleet-emr}: runs the nightly pipeline on EMR. {@code deploy} puts the jobs jar, configurations and bootstrap
 * scripts in S3; {@code run} starts a transient cluster whose steps are prepare, augment, train and publish;
 * {@code status} reads a cluster's and its steps' states; {@code schedule} has EventBridge Scheduler send the same
 * request every night; {@code plan} prices a night; {@code policies} writes the IAM policies of the three roles.
 */
@Command(name = "yolofleet-emr", mixinStandardHelpOptions = true, versionProvider = EmrLauncher.Version.class,
        description = "Deploy, run, schedule and price the nightly yolofleet pipeline on Amazon EMR.",
        subcommands = {DeployCommand.class, RunCommand.class, StatusCommand.class, ScheduleCommand.class, UnscheduleCommand.class,
                SchedulesCommand.class, PlanCommand.class, PoliciesCommand.class})
public final class EmrLauncher implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] arguments) {
        int exitCode = execute(arguments);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** Runs a command line and returns its exit code: 0, 2 for usage, else the failure type's exit code. */
    public static int execute(String... arguments) {
        return commandLine().execute(arguments);
    }

    /** The command line with every verb and the failure reporting of {@link #report}. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new EmrLauncher());
        commandLine.setUsageHelpWidth(120);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> report(exception, line.getErr()));
        return commandLine;
    }

    /** Prints {@code error: [CODE] message} (with the stack trace only for a bug) and returns the type's exit code. */
    static int report(Throwable failure, PrintWriter error) {
        YoloFleetException reported = failure instanceof YoloFleetException known ? known
                : new YoloFleetException(ErrorCode.INTERNAL, failure.toString());
        return Failures.print(reported, failure, error);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The launcher's version: the jar's implementation version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EmrLauncher.class.getPackage().getImplementationVersion();
            return new String[] {"yolofleet-emr " + (version == null ? "(development build)" : version)};
        }
    }
}

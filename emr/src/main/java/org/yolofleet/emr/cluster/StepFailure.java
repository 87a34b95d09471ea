package org.yolofleet.emr.cluster;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.ErrorType;
import software.amazon.awssdk.services.emr.model.FailureDetails;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The typed error of a failed step, read from EMR's failure details: the error code a yolofleet job prints
 * ({@code error: [S3_ACCESS] ...}) or, failing that, an exit code of the jobs command line (2 usage, 3 USER, 4 BAD_DATA,
 * 5 EXTERNAL, 6 REFUSED, 70 INTERNAL). In cluster deploy mode spark-submit itself exits 1 for any failed application,
 * so the details carry the job's code only when EMR's log analysis found the job's own message; otherwise the step's
 * stderr under the log URI holds it.
 *
 * @param code     the error code, when the details name one
 * @param type     its type (retryable or not)
 * @param exitCode the jobs command line's exit code for it ({@value #USAGE_EXIT_CODE} for usage, with no type)
 */
public record StepFailure(Optional<ErrorCode> code, Optional<ErrorType> type, int exitCode) {
    /** picocli's exit code for an unknown verb or option. */
    public static final int USAGE_EXIT_CODE = 2;

    private static final Pattern CODE = Pattern.compile("\\[([A-Z][A-Z0-9_]+)]");
    private static final Pattern EXIT = Pattern.compile("(?i)exit(?:ed with)?[ _]?(?:code|status)[:= ]*(\\d+)");

    /** What kind of failure a step's details show, or empty when they carry neither a code nor a known exit code. */
    public static Optional<StepFailure> of(FailureDetails details) {
        if (details == null) {
            return Optional.empty();
        }
        String text = String.join("\n", nonNull(details.reason()), nonNull(details.message()));
        Matcher code = CODE.matcher(text);
        while (code.find()) {
            Optional<ErrorCode> known = Arrays.stream(ErrorCode.values()).filter(value -> value.name().equals(code.group(1))).findFirst();
            if (known.isPresent()) {
                ErrorType type = known.get().type();
                return Optional.of(new StepFailure(known, Optional.of(type), type.exitCode()));
            }
        }
        Matcher exit = EXIT.matcher(text);
        while (exit.find()) {
            int exitCode = Integer.parseInt(exit.group(1));
            if (exitCode == USAGE_EXIT_CODE) {
                return Optional.of(new StepFailure(Optional.empty(), Optional.empty(), exitCode));
            }
            Optional<ErrorType> type = Arrays.stream(ErrorType.values()).filter(value -> value.exitCode() == exitCode).findFirst();
            if (type.isPresent()) {
                return Optional.of(new StepFailure(Optional.empty(), type, exitCode));
            }
        }
        return Optional.empty();
    }

    /** One line for the status report: {@code USER (exit 3, CONFIG): fix the configuration or the command line}. */
    public String describe() {
        String name = type.map(Enum::name).orElse("usage");
        String meaning = type.map(value -> switch (value) {
            case USER -> "fix the configuration or the command line";
            case BAD_DATA -> "fix the input data";
            case EXTERNAL -> "S3, the network or a file system failed; rerunning may succeed";
            case REFUSED -> "the stage worked and a check refused its result";
            case INTERNAL -> "a bug in yolofleet; report it with the step's stderr";
        }).orElse("an unknown verb or option: the step's arguments do not match the jobs jar");
        return name + " (exit " + exitCode + code.map(value -> ", " + value.name()).orElse("") + "): " + meaning;
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }
}

package org.yolofleet.publish.compile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What one compiler did for a release: produced its artifact, was skipped (tool not installed, disabled, no export
 * to read), or failed (exit code, timeout, no output). A skipped or failed outcome becomes the manifest's "not
 * produced" entry for its artifact and target, with the reason.
 *
 * @param compiler    the configuration's name for the compiler
 * @param target      the device the artifact is for
 * @param artifact    file name of the artifact in the release ({@code model.graph})
 * @param status      what happened
 * @param output      the artifact in the release; present exactly when produced
 * @param outputBytes its size; 0 unless produced
 * @param log         the compiler's log in the release (command, configuration, version, stdout and stderr);
 *                    absent when nothing was run
 * @param reason      why it was not produced; empty when produced
 * @param duration    how long the attempt took
 * @param toolVersion the first line the version command printed, when one is configured and answered
 */
public record CompileOutcome(
        String compiler,
        Target target,
        String artifact,
        Status status,
        Optional<Path> output,
        long outputBytes,
        Optional<Path> log,
        String reason,
        Duration duration,
        Optional<String> toolVersion) {

    /** What happened to one compiler's artifact. */
    public enum Status {
        PRODUCED,
        SKIPPED,
        FAILED
    }

    public CompileOutcome {
        requireNonNull(compiler, "compiler");
        requireNonNull(target, "target");
        requireNonNull(artifact, "artifact");
        requireNonNull(status, "status");
        requireNonNull(output, "output");
        requireNonNull(log, "log");
        requireNonNull(reason, "reason");
        requireNonNull(duration, "duration");
        requireNonNull(toolVersion, "toolVersion");
        boolean produced = status == Status.PRODUCED;
        if (produced != output.isPresent() || produced != (outputBytes > 0) || (!produced && outputBytes != 0)) {
            throw new IllegalArgumentException("a produced outcome has its output and its size, any other has neither: "
                    + status + ", " + output + ", " + outputBytes + " bytes");
        }
        if (produced != reason.isEmpty()) {
            throw new IllegalArgumentException("a skipped or failed outcome says why, a produced one does not: " + status + ", '" + reason + "'");
        }
    }

    public static CompileOutcome produced(CompilerSpec spec, Path output, long bytes, Path log, Duration duration, Optional<String> toolVersion) {
        return new CompileOutcome(spec.name(), spec.target(), spec.output(), Status.PRODUCED, Optional.of(output), bytes,
                Optional.of(log), "", duration, toolVersion);
    }

    public static CompileOutcome skipped(CompilerSpec spec, String reason, Duration duration) {
        return new CompileOutcome(spec.name(), spec.target(), spec.output(), Status.SKIPPED, Optional.empty(), 0,
                Optional.empty(), reason, duration, Optional.empty());
    }

    public static CompileOutcome failed(CompilerSpec spec, String reason, Path log, Duration duration, Optional<String> toolVersion) {
        return new CompileOutcome(spec.name(), spec.target(), spec.output(), Status.FAILED, Optional.empty(), 0,
                Optional.of(log), reason, duration, toolVersion);
    }

    public boolean produced() {
        return status == Status.PRODUCED;
    }
}

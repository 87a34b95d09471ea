package org.yolofleet.core.error;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.nio.file.AccessDeniedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Turns whatever a run failed with into the {@link YoloFleetException} to report, so an error raised on a Spark
 * executor keeps its code on the driver. Spark aborts a job with a {@code SparkException} ("Job aborted due to stage
 * failure ...") whose cause is the executor's exception when that exception could be deserialized on the driver, and
 * whose message names it ({@code ... YoloFleetException: [S3_ACCESS] ...}) either way. In that order this looks for:
 * <ol>
 *   <li>the outermost {@link YoloFleetException} in the cause chain, suppressed exceptions included;</li>
 *   <li>a {@code org.yolofleet...Exception: [CODE] message} marker in a message of the chain (the cause was lost: the
 *       executor's exception could not be serialized);</li>
 *   <li>a Hadoop, S3 or network failure that carries no code, by class name (core does not depend on Hadoop or the
 *       AWS SDK): {@link ErrorCode#S3_ACCESS}, {@link ErrorCode#IO} or, for a missing file, {@link ErrorCode#NOT_FOUND};</li>
 *   <li>otherwise {@link ErrorCode#INTERNAL}: an unexpected exception is a bug, named by its innermost cause.</li>
 * </ol>
 */
public final class Failures {
    /** How Spark prints an executor's exception into the abort message: {@code class: [CODE] message}, then the stack. */
    private static final Pattern MARKER = Pattern.compile("org\\.yolofleet\\.[\\w$.]+: \\[([A-Z0-9_]+)] ([^\\r\\n]*)");
    private static final Set<String> MISSING_FILE = Set.of("java.io.FileNotFoundException", "java.nio.file.NoSuchFileException");
    private static final Set<String> S3_PACKAGES = Set.of("org.apache.hadoop.fs.s3a.", "software.amazon.awssdk.", "com.amazonaws.");
    private static final Set<String> FILE_SYSTEM_PACKAGES = Set.of("org.apache.hadoop.fs.", "org.apache.hadoop.hdfs.", "java.nio.file.", "sun.nio.fs.",
            "java.io.File", "java.io.RandomAccessFile");

    private Failures() {
    }

    /**
     * Prints what every yolofleet command line prints for a failed run, {@code error: [CODE] message}, with
     * {@code failure}'s stack trace only for a bug, and returns the exit code of the reported error's type.
     */
    public static int print(YoloFleetException reported, Throwable failure, PrintWriter error) {
        error.println("error: " + reported.getMessage());
        if (reported.code().type() == ErrorType.INTERNAL) {
            failure.printStackTrace(error);
        }
        error.flush();
        return reported.code().type().exitCode();
    }

    /** The exception to report for {@code failure}: the one it carries, or a new one with the code it deserves. */
    public static YoloFleetException toReport(Throwable failure) {
        requireNonNull(failure, "failure");
        List<Throwable> chain = chain(failure);
        for (Throwable throwable : chain) {
            if (throwable instanceof YoloFleetException carried) {
                return carried;
            }
        }
        for (Throwable throwable : chain) {
            Optional<YoloFleetException> marked = fromMarker(throwable);
            if (marked.isPresent()) {
                return marked.get();
            }
        }
        for (Throwable throwable : chain) {
            Optional<ErrorCode> code = externalCode(throwable);
            if (code.isPresent()) {
                return new YoloFleetException(code.get(), describe(throwable), failure);
            }
        }
        return new YoloFleetException(ErrorCode.INTERNAL, firstLine(rootCause(failure).toString()), failure);
    }

    /** The innermost cause: the bug itself rather than the job abort that carries it. */
    private static Throwable rootCause(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable cause = failure;
        while (seen.add(cause) && cause.getCause() != null && !seen.contains(cause.getCause())) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end).stripTrailing();
    }

    /** The failure and every cause and suppressed exception under it, outermost first, each once. */
    static List<Throwable> chain(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        List<Throwable> ordered = new ArrayList<>();
        pending.add(failure);
        while (!pending.isEmpty()) {
            Throwable next = pending.removeFirst();
            if (!seen.add(next)) {
                continue;
            }
            ordered.add(next);
            if (next.getCause() != null) {
                pending.add(next.getCause());
            }
            pending.addAll(List.of(next.getSuppressed()));
        }
        return List.copyOf(ordered);
    }

    private static Optional<YoloFleetException> fromMarker(Throwable throwable) {
        String message = throwable.getMessage();
        if (message == null) {
            return Optional.empty();
        }
        Matcher matcher = MARKER.matcher(message);
        while (matcher.find()) {
            Optional<ErrorCode> code = code(matcher.group(1));
            if (code.isPresent()) {
                return Optional.of(new YoloFleetException(code.get(), matcher.group(2), throwable));
            }
        }
        return Optional.empty();
    }

    private static Optional<ErrorCode> code(String name) {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.name().equals(name)) {
                return Optional.of(code);
            }
        }
        return Optional.empty();
    }

    /** The code of a failure outside yolofleet that is clearly S3, a file system or the network; empty for anything else. */
    private static Optional<ErrorCode> externalCode(Throwable throwable) {
        String className = throwable.getClass().getName();
        if (startsWithAny(className, S3_PACKAGES) || (throwable instanceof AccessDeniedException && mentionsS3(throwable))) {
            return Optional.of(ErrorCode.S3_ACCESS);
        }
        if (throwable instanceof IOException && className.startsWith("java.net.") && !(throwable instanceof MalformedURLException)) {
            return Optional.of(ErrorCode.IO);
        }
        if (throwable instanceof IOException && thrownByFileSystem(throwable)) {
            return Optional.of(MISSING_FILE.contains(className) ? ErrorCode.NOT_FOUND : ErrorCode.IO);
        }
        return Optional.empty();
    }

    private static boolean mentionsS3(Throwable throwable) {
        String message = String.valueOf(throwable.getMessage());
        return message.contains("s3a://") || message.contains("s3://") || message.contains("s3n://");
    }

    private static boolean thrownByFileSystem(Throwable throwable) {
        for (StackTraceElement frame : throwable.getStackTrace()) {
            if (startsWithAny(frame.getClassName(), FILE_SYSTEM_PACKAGES)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithAny(String className, Set<String> prefixes) {
        return prefixes.stream().anyMatch(className::startsWith);
    }

    private static String describe(Throwable throwable) {
        return throwable.getMessage() == null ? throwable.getClass().getName() : throwable.getClass().getSimpleName() + ": " + throwable.getMessage();
    }
}

package org.yolofleet.core.error;

/**
 * What kind of failure an {@link ErrorCode} is, so whoever launched the run (an EMR step, a scheduler, a person) can
 * tell "fix your input" from "retry" without reading the message. Each type exits the command line with its own code:
 *
 * <table>
 *   <caption>exit codes of {@code yolofleet}</caption>
 *   <tr><th>exit</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>success</td></tr>
 *   <tr><td>1</td><td>never used by yolofleet: left to the JVM (an uncaught error, {@code OutOfMemoryError} on exit)</td></tr>
 *   <tr><td>2</td><td>usage: an unknown verb or option, a missing argument (picocli)</td></tr>
 *   <tr><td>3</td><td>{@link #USER}: fix the configuration or the command line</td></tr>
 *   <tr><td>4</td><td>{@link #BAD_DATA}: fix the input data</td></tr>
 *   <tr><td>5</td><td>{@link #EXTERNAL}: S3, the network or a file system failed; retrying may help</td></tr>
 *   <tr><td>6</td><td>{@link #REFUSED}: the run worked but its result failed a check</td></tr>
 *   <tr><td>70</td><td>{@link #INTERNAL}: a bug ({@code EX_SOFTWARE} of sysexits.h); report it with the stack trace</td></tr>
 * </table>
 */
public enum ErrorType {
    /** The configuration, a command-line value or a path the user gave is wrong; rerunning unchanged fails again. */
    USER(3),
    /** The input data is wrong (a corrupt image, a malformed model file, too many quarantined records). */
    BAD_DATA(4),
    /** Something outside yolofleet failed (S3, the network, a file system): the same run may succeed later. */
    EXTERNAL(5),
    /** The run did what it was asked, and a check refused the result (a diverged training, an export that differs). */
    REFUSED(6),
    /** A bug in yolofleet. */
    INTERNAL(70);

    private final int exitCode;

    ErrorType(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The process exit code of a run that fails with this type of error. */
    public int exitCode() {
        return exitCode;
    }

    /** Whether rerunning the same command unchanged may succeed. */
    public boolean retryable() {
        return switch (this) {
            case EXTERNAL -> true;
            case USER, BAD_DATA, REFUSED, INTERNAL -> false;
        };
    }
}

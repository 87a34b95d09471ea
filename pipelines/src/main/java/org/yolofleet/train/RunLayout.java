package org.yolofleet.train;

import org.apache.hadoop.fs.Path;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Where a training run's files go. A run has an identity: its id and its directory, {@code <runs-root>/<run-id>/}
 * (the id defaults to the start time, so every night's run is a new one), or an explicit {@code train.output}
 * directory, whose id is its last path segment. The runs root, when there is one, also holds {@code latest.json}
 * ({@link CompletedRun}), which names the newest complete run: what {@code train.init.mode = previous} starts from.
 *
 * @param runId    the run's id
 * @param run      the run directory's URI
 * @param runsRoot the runs root's URI, if the run has one ({@code train.runs-root})
 */
public record RunLayout(String runId, String run, Optional<String> runsRoot) {
    /** The newest complete run's record, in the runs root. */
    public static final String LATEST = "latest.json";
    /** A run's own record, written when it completes: a run directory holding it is complete. */
    public static final String RUN_RECORD = "run.json";
    /** What a run id may hold, for the configuration error. */
    public static final String RUN_ID_RULE = "use letters, digits, '-', '_' and '.', starting with a letter or digit";
    // a run id is one path segment in a Hadoop URI: no '/', no ':' (a scheme), no '%' or space (escaping), no leading dot (hidden)
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final DateTimeFormatter DEFAULT_RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public RunLayout {
        requireNonNull(runId, "runId");
        requireNonNull(run, "run");
        requireNonNull(runsRoot, "runsRoot");
    }

    /**
     * The run {@code config} names: {@code train.output} when set (the runs root still receives {@code latest.json}),
     * else {@code <runs-root>/<run-id>}, the id {@code train.run-id} or, when that is empty, the UTC time {@code started}.
     */
    public static RunLayout of(TrainConfig config, Instant started) {
        Optional<String> runsRoot = config.runsRoot().isBlank() ? Optional.empty() : Optional.of(config.runsRoot());
        if (!config.output().isBlank()) {
            return new RunLayout(new Path(config.output()).getName(), config.output(), runsRoot);
        }
        String runId = config.runId().isEmpty() ? defaultRunId(started) : config.runId();
        return new RunLayout(runId, new Path(new Path(config.runsRoot()), runId).toString(), runsRoot);
    }

    /** The default run id: the start time in UTC, {@code yyyyMMdd'T'HHmmss'Z'}; sorts in the order the runs started. */
    public static String defaultRunId(Instant started) {
        return DEFAULT_RUN_ID.format(started);
    }

    public static boolean isValidRunId(String runId) {
        return RUN_ID.matcher(runId).matches();
    }

    /** This run's own record, {@code <run>/run.json}. */
    public Path runRecord() {
        return new Path(new Path(run), RUN_RECORD);
    }

    /** The runs root's {@code latest.json}, if the run has a runs root. */
    public Optional<Path> latest() {
        return runsRoot.map(root -> latest(root));
    }

    /** {@code <runsRoot>/latest.json}. */
    public static Path latest(String runsRoot) {
        return new Path(new Path(runsRoot), LATEST);
    }
}

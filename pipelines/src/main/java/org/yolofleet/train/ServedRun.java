package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.publish.store.ReleaseStore;
import org.yolofleet.publish.store.ReleaseStores;
import org.yolofleet.publish.store.StoreReleaseReader;
import org.yolofleet.spark.HadoopFiles;

import java.net.URI;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The training run behind the release a channel serves: what {@code train.init.mode = released} starts from. The
 * channel's pointer is followed to its release, which is verified as a device verifies it (the signature with a trusted
 * key, every artifact's size and SHA-256, the pointer naming that manifest); the signed manifest's
 * {@code trainingRunId} names the run, whose {@code run.json} under the runs root gives its best checkpoint.
 *
 * <p>A channel whose release's run or checkpoint is gone (pruned, or published from a run directory outside the runs
 * root) is an error ({@link ErrorCode#NOT_FOUND}), never a quiet fallback: starting from scratch or from the latest run
 * instead would train from something other than what the fleet runs, the very thing this mode exists to prevent.
 *
 * @param store   the release store's URI
 * @param channel the channel followed
 * @param release the verified release it serves
 * @param run     the complete run that release was trained by
 */
public record ServedRun(String store, String channel, VerifiedRelease release, CompletedRun run) {
    public ServedRun {
        requireNonNull(store, "store");
        requireNonNull(channel, "channel");
        requireNonNull(release, "release");
        requireNonNull(run, "run");
    }

    /**
     * The run behind the release {@code released}'s channel serves, verified with {@code trusted}; empty when the channel
     * has no pointer yet (nothing published to it). A release that does not verify fails
     * ({@link org.yolofleet.core.release.ReleaseRejectedException}); a run or checkpoint that is gone fails with
     * {@link ErrorCode#NOT_FOUND}.
     */
    public static Optional<ServedRun> find(TrainConfig.Released released, TrustedKeys trusted, String runsRoot, Configuration hadoop) {
        requireNonNull(released, "released");
        requireNonNull(trusted, "trusted");
        requireNonNull(runsRoot, "runsRoot");
        VerifiedRelease release;
        try (ReleaseStore store = ReleaseStores.open(URI.create(released.store()), hadoop)) {
            if (!store.exists(ReleaseLayout.channelPointer(released.model(), released.channel()))) {
                return Optional.empty();
            }
            release = new ReleaseVerifier(trusted).verifyChannel(new StoreReleaseReader(store), released.model(), released.channel());
        }
        String runId = release.manifest().trainingRunId();
        String served = "release " + released.model() + " " + release.manifest().version() + " (" + released.describe() + ")";
        String remedy = ": restore the run (keep the runs a channel serves when pruning runs), or start this night from elsewhere with"
                + " --set train.init.mode=previous (the latest complete run), checkpoint or scratch";
        if (!RunLayout.isValidRunId(runId)) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, served + " was trained by run '" + runId + "', which cannot be a run under "
                    + runsRoot + remedy);
        }
        Path record = new Path(new Path(new Path(runsRoot), runId), RunLayout.RUN_RECORD);
        FileSystem fileSystem = HadoopFiles.fileSystem(record.toString(), hadoop);
        CompletedRun run = CompletedRun.read(fileSystem, record).orElseThrow(() -> new YoloFleetException(ErrorCode.NOT_FOUND, served
                + " was trained by run " + runId + ", but " + record + " does not exist (the run was pruned, never completed, or was"
                + " published from a directory outside the runs root)" + remedy));
        Path checkpoint = new Path(run.bestCheckpoint());
        if (!HadoopFiles.exists(HadoopFiles.fileSystem(run.bestCheckpoint(), hadoop), checkpoint)) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, served + " was trained by run " + runId + ", whose best checkpoint "
                    + checkpoint + " does not exist" + remedy);
        }
        return Optional.of(new ServedRun(released.store(), released.channel(), release, run));
    }

    /** {@code release <model> <version> (channel <channel>, sequence <n>) of run <id>}, for the log and the summary. */
    public String describe() {
        return "release " + release.manifest().model() + " " + release.manifest().version() + " (channel " + channel + ", sequence "
                + release.manifest().sequence() + ", key " + release.keyId() + ") of run " + run.runId();
    }
}

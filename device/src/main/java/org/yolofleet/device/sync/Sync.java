package org.yolofleet.device.sync;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.Failures;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ChannelPointer;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseReader;
import org.yolofleet.core.release.ReleaseRejectedException;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.device.config.DeviceConfig;
import org.yolofleet.device.install.AgentState;
import org.yolofleet.device.install.ArtifactDownload;
import org.yolofleet.device.install.Durable;
import org.yolofleet.device.install.FreeSpace;
import org.yolofleet.device.install.Hook;
import org.yolofleet.device.install.InstallDirectory;
import org.yolofleet.device.install.InstalledRelease;
import org.yolofleet.device.install.StateFile;
import org.yolofleet.device.source.Backoff;
import org.yolofleet.device.source.ConditionalResponse;
import org.yolofleet.device.source.ReleaseSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * {@code yolofleet-agent sync}: brings the channel's release onto the device, or leaves the device as it was.
 * <ol>
 *   <li>A conditional GET of {@code channels/<model>/<channel>.json} with the stored ETag: unchanged, and the sync ends
 *       after that one request, writing nothing.</li>
 *   <li>The pointer's release is skipped when it is installed, failed its health check before, or is held by an
 *       operator's {@code rollback}; refused ({@link ErrorCode#RELEASE_NOT_NEWER}) when its sequence is not above the
 *       installed one.</li>
 *   <li>{@code manifest.json} and {@code manifest.sig}: Ed25519 against the trusted keys, the manifest's model, version,
 *       SHA-256 and sequence against the pointer (core's {@link ReleaseVerifier}).</li>
 *   <li>The profile's artifact (none: {@link ErrorCode#NOT_FOUND}, the current release keeps running): free space
 *       checked, its size checked by HEAD, downloaded to {@code staging/<version>/} with ranged resume, size and SHA-256
 *       verified, fsynced; the staged directory renamed to {@code releases/<version>/}.</li>
 *   <li>{@code current} switched atomically; the post-switch command and the health check run; if either fails,
 *       {@code current} is switched back, the version recorded as bad ({@link ErrorCode#HEALTH_CHECK_FAILED}).</li>
 *   <li>Old releases beyond {@code device.keep-releases} deleted.</li>
 * </ol>
 * Every failure is recorded in {@code state.json} ({@code status} shows it) and logged before it is thrown. The caller
 * holds the {@link org.yolofleet.device.install.InstanceLock}. A sync killed at any point leaves {@code current} on a
 * complete release; the next one resumes the download and finishes or undoes an unconfirmed switch.
 */
public final class Sync {
    /** The most bytes read from a channel pointer, manifest or signature. */
    static final int MAXIMUM_METADATA_BYTES = 8 * 1024 * 1024;

    private final DeviceConfig config;
    private final ReleaseSource source;
    private final ArtifactDownload download;
    private final FreeSpace freeSpace;
    private final EventLog log;
    private final Clock clock;
    private final InstallDirectory install;
    private final StateFile stateFile;
    private final ReleaseVerifier verifier;
    private final Backoff downloadBackoff;

    /**
     * @param config the device's configuration (trusted keys are read from it now)
     * @param source the store, with retries and bandwidth cap already applied ({@code ReleaseSources.decorate})
     * @param downloadBackoff the retries of a download that fails mid-body
     * @param freeSpace how much the install directory's file system can take
     * @param log where events go
     * @param clock the time stamps of the state
     */
    public Sync(DeviceConfig config, ReleaseSource source, Backoff downloadBackoff, FreeSpace freeSpace, EventLog log, Clock clock) {
        this.config = requireNonNull(config, "config");
        this.source = requireNonNull(source, "source");
        this.freeSpace = requireNonNull(freeSpace, "freeSpace");
        this.log = requireNonNull(log, "log");
        this.clock = requireNonNull(clock, "clock");
        this.downloadBackoff = requireNonNull(downloadBackoff, "downloadBackoff");
        this.download = new ArtifactDownload(source, downloadBackoff, line -> log.event("retry", "detail", line));
        this.install = new InstallDirectory(config.installDirectory());
        this.stateFile = install.stateFile();
        this.verifier = new ReleaseVerifier(TrustedKeys.fromPemFiles(config.trustedKeys()));
    }

    /** Runs one sync. */
    public SyncOutcome run() {
        try {
            install.create();
            finishPendingSwitch();
            return syncOnce();
        }
        catch (RuntimeException failure) {
            YoloFleetException reported = Failures.toReport(failure);
            record(reported);
            throw reported;
        }
    }

    private SyncOutcome syncOnce() {
        AgentState state = stateFile.read();
        Optional<InstalledRelease> installed = install.current();
        String pointerPath = ReleaseLayout.channelPointer(config.model(), config.channel());
        // with nothing installed the stored ETag proves nothing: fetch the pointer whole
        Optional<String> etag = installed.isPresent() ? state.channelEtag() : Optional.empty();
        ConditionalResponse response;
        try {
            response = source.getIfChanged(pointerPath, etag);
        }
        catch (NoSuchFileException e) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, "model " + config.model() + " has no channel " + config.channel() + ": "
                    + source.describe(pointerPath) + " does not exist (device.model, device.channel)", e);
        }
        catch (IOException e) {
            throw unreachable(pointerPath, e);
        }
        if (!response.modified()) {
            log.event("not-modified", "channel", config.channel(), "version", installed.map(InstalledRelease::version).orElse("none"));
            return new SyncOutcome(SyncOutcome.Result.NOT_MODIFIED, Optional.empty(), 0);
        }
        ChannelPointer pointer = ChannelPointer.fromJson(limited(response.body().orElseThrow(), pointerPath));
        if (!pointer.model().equals(config.model()) || !pointer.channel().equals(config.channel())) {
            throw new ReleaseRejectedException(ReleaseRejectedException.Reason.POINTER_MISMATCH, source.describe(pointerPath)
                    + " is the pointer of " + pointer.model() + " " + pointer.channel() + ", not of " + config.model() + " " + config.channel());
        }
        String version = pointer.version();
        if (installed.isPresent() && installed.get().version().equals(version) && installed.get().sequence() == pointer.sequence()) {
            save(state.withChannelEtag(response.etag()).withoutError(), "up-to-date", "version", version, "sequence", pointer.sequence());
            return new SyncOutcome(SyncOutcome.Result.UP_TO_DATE, Optional.of(version), 0);
        }
        if (state.isBad(version)) {
            save(state.withChannelEtag(response.etag()), "bad-version-skipped", "version", version, "sequence", pointer.sequence(),
                    "detail", "it failed its health check before; waiting for a newer sequence");
            return new SyncOutcome(SyncOutcome.Result.BAD_VERSION, Optional.of(version), 0);
        }
        Optional<AgentState.Hold> hold = state.rollbackHold();
        if (hold.isPresent() && pointer.sequence() <= hold.get().sequence()) {
            save(state.withChannelEtag(response.etag()), "held-by-rollback", "version", version, "sequence", pointer.sequence(),
                    "rolled-back-from", hold.get().version(), "detail", "an operator rolled back from sequence " + hold.get().sequence()
                            + "; waiting for a newer sequence");
            return new SyncOutcome(SyncOutcome.Result.HELD_BY_ROLLBACK, Optional.of(version), 0);
        }
        if (installed.isPresent() && pointer.sequence() <= installed.get().sequence()) {
            throw new YoloFleetException(ErrorCode.RELEASE_NOT_NEWER, "channel " + config.channel() + " serves " + version + " at sequence "
                    + pointer.sequence() + ", not above the installed " + installed.get().version() + " at sequence " + installed.get().sequence()
                    + ": a replayed or stale channel pointer; keeping " + installed.get().version()
                    + " (to go back deliberately, run yolofleet-agent rollback)");
        }
        log.event("new-release", "version", version, "sequence", pointer.sequence(), "installed", installed.map(InstalledRelease::version).orElse("none"));
        Map<String, byte[]> metadata = new HashMap<>();
        VerifiedRelease release = verifier.verifyManifest(metadataReader(metadata), config.model(), version);
        if (!release.manifestSha256().equals(pointer.manifestSha256()) || release.manifest().sequence() != pointer.sequence()) {
            throw new ReleaseRejectedException(ReleaseRejectedException.Reason.POINTER_MISMATCH, source.describe(pointerPath) + " names manifest "
                    + pointer.manifestSha256() + " at sequence " + pointer.sequence() + ", but " + version + " has manifest "
                    + release.manifestSha256() + " at sequence " + release.manifest().sequence());
        }
        log.event("verified-signature", "version", version, "key", release.keyId());
        ArtifactEntry artifact = config.profile().modelArtifact(release.manifest()).orElseThrow(() -> new YoloFleetException(ErrorCode.NOT_FOUND,
                "release " + version + " has no artifact for profile " + config.profile().key() + " (wanted: " + config.profile().preferences()
                        + "; it has: " + release.manifest().artifacts().stream().map(entry -> entry.name() + " " + entry.format().key()).toList()
                        + "); keeping " + installed.map(InstalledRelease::version).orElse("nothing installed")
                        + ". Publish with that artifact or change device.profile"));
        long downloaded = installRelease(release, artifact, metadata);
        switchAndCheck(release, installed, response.etag());
        return new SyncOutcome(SyncOutcome.Result.INSTALLED, Optional.of(version), downloaded);
    }

    /** Stages, downloads, verifies and promotes the release to {@code releases/<version>/}; returns the bytes downloaded. */
    private long installRelease(VerifiedRelease release, ArtifactEntry artifact, Map<String, byte[]> metadata) {
        String version = release.manifest().version();
        Optional<InstalledRelease> already = install.release(version);
        if (already.isPresent()) {
            // promoted by a run that was killed before it switched: check it again rather than download it again
            try {
                install.verify(already.get(), verifier, config.profile());
                log.event("reuse-installed", "version", version);
                return 0;
            }
            catch (YoloFleetException stale) {
                log.event("discard-installed", "version", version, "reason", stale.getMessage());
                install.deleteRelease(version);
            }
        }
        install.deleteStaging(Optional.of(version));
        Path staging = install.stagingDirectory(version);
        Path target = staging.resolve(artifact.name());
        String artifactPath = ReleaseLayout.artifact(config.model(), version, artifact.name());
        try {
            Files.createDirectories(staging);
            long have = Files.exists(target) ? Math.min(Files.size(target), artifact.size()) : 0;
            long metadataBytes = metadata.values().stream().mapToLong(bytes -> bytes.length).sum();
            long needed = artifact.size() - have + metadataBytes;
            long free = freeSpace.usableBytes(install.root());
            if (free - needed < config.reserveBytes()) {
                throw new YoloFleetException(ErrorCode.IO, "release " + version + " needs " + needed + " more bytes in " + install.root()
                        + " and device.reserve-bytes = " + config.reserveBytes() + " kept free, but the file system has " + free
                        + " bytes free; nothing was downloaded. Free space, or lower device.keep-releases");
            }
            long listed = source.size(artifactPath);
            if (listed != artifact.size()) {
                throw new ReleaseRejectedException(ReleaseRejectedException.Reason.ARTIFACT_SIZE, source.describe(artifactPath) + " has "
                        + listed + " bytes, the signed manifest lists " + artifact.size() + "; nothing was downloaded");
            }
            log.event("download", "version", version, "artifact", artifact.name(), "size", artifact.size(), "resume-from", have);
            long fetched = download.fetch(artifactPath, target, artifact.size());
            ReleaseReader staged = InstallDirectory.directoryReader(staging);
            try {
                verifier.verifyArtifact(staged, release, artifact.name());
            }
            catch (ReleaseRejectedException rejected) {
                Files.deleteIfExists(target);
                throw rejected;
            }
            Durable.writeAtomically(staging.resolve(ReleaseLayout.MANIFEST), metadata.get(ReleaseLayout.manifest(config.model(), version)));
            Durable.writeAtomically(staging.resolve(ReleaseLayout.SIGNATURE), metadata.get(ReleaseLayout.signature(config.model(), version)));
            Durable.fsync(staging);
            log.event("verified-artifact", "version", version, "artifact", artifact.name(), "sha256", artifact.sha256(), "downloaded", fetched);
            install.promote(version);
            return fetched;
        }
        catch (NoSuchFileException e) {
            throw new ReleaseRejectedException(ReleaseRejectedException.Reason.MISSING_ARTIFACT, source.describe(artifactPath)
                    + " is listed in the signed manifest but does not exist", e);
        }
        catch (IOException e) {
            throw unreachable(artifactPath, e);
        }
    }

    private void switchAndCheck(VerifiedRelease release, Optional<InstalledRelease> previous, Optional<String> etag) {
        String version = release.manifest().version();
        long sequence = release.manifest().sequence();
        AgentState.PendingSwitch pending = new AgentState.PendingSwitch(version, sequence, previous.map(InstalledRelease::version));
        stateFile.write(stateFile.read().withPending(Optional.of(pending)));
        install.switchTo(version);
        log.event("switched", "version", version, "sequence", sequence, "from", previous.map(InstalledRelease::version).orElse("none"));
        confirmOrUndo(pending, etag);
    }

    /** Runs the hooks for a switched-to release: confirms it, or switches back and records it as bad. */
    private void confirmOrUndo(AgentState.PendingSwitch pending, Optional<String> etag) {
        Optional<String> failure = hooks(pending.version());
        AgentState state = stateFile.read();
        if (failure.isEmpty()) {
            Optional<AgentState.Hold> hold = state.rollbackHold().filter(held -> held.sequence() >= pending.sequence());
            AgentState confirmed = state.withInstalled(pending.version(), pending.sequence()).withPending(Optional.empty())
                    .withRollbackHold(hold).withChannelEtag(etag).withoutError();
            List<String> deleted = install.prune(config.keepReleases(), Set.of());
            install.deleteStaging(Optional.empty());
            save(confirmed, "installed", "version", pending.version(), "sequence", pending.sequence(), "pruned", String.join(",", deleted));
            return;
        }
        String reason = failure.get();
        Optional<String> back = pending.previousVersion().filter(previous -> install.release(previous).isPresent());
        if (back.isPresent()) {
            install.switchTo(back.get());
            log.event("switched-back", "version", back.get(), "from", pending.version());
            config.postSwitchCommand().flatMap(command -> Hook.run(command, config.healthCheckTimeout(), back.get(), install.releaseDirectory(back.get())))
                    .ifPresent(again -> log.event("post-switch-failed", "version", back.get(), "reason", again));
        }
        else {
            install.clearCurrent();
            log.event("switched-back", "version", "none", "from", pending.version());
        }
        install.deleteRelease(pending.version());
        long backSequence = back.flatMap(install::release).map(InstalledRelease::sequence).orElse(0L);
        AgentState undone = state.withPending(Optional.empty())
                .withBadVersion(new AgentState.BadVersion(pending.version(), pending.sequence(), reason, clock.instant()))
                .withChannelEtag(etag);
        undone = back.isPresent() ? undone.withInstalled(back.get(), backSequence)
                : new AgentState(Optional.empty(), 0, undone.channelEtag(), undone.badVersions(), undone.rollbackHold(), undone.pending(),
                        undone.lastEvent(), undone.lastError());
        stateFile.write(undone);
        throw new YoloFleetException(ErrorCode.HEALTH_CHECK_FAILED, "release " + pending.version() + " failed after the switch: " + reason
                + "; switched back to " + back.orElse("nothing") + " and marked " + pending.version() + " bad (not retried until a newer sequence)");
    }

    /** The post-switch command, then the health check; empty when both passed. */
    private Optional<String> hooks(String version) {
        Path directory = install.releaseDirectory(version);
        Optional<String> failure = config.postSwitchCommand().flatMap(command -> Hook.run(command, config.healthCheckTimeout(), version, directory));
        if (failure.isPresent()) {
            return failure.map(why -> "post-switch command " + why);
        }
        return config.healthCheckCommand().flatMap(command -> Hook.run(command, config.healthCheckTimeout(), version, directory))
                .map(why -> "health check " + why);
    }

    /** A switch recorded but not confirmed: the agent was killed during the hooks (or before the switch). */
    private void finishPendingSwitch() {
        AgentState state = stateFile.read();
        if (state.pending().isEmpty()) {
            return;
        }
        AgentState.PendingSwitch pending = state.pending().get();
        if (install.currentVersion().filter(pending.version()::equals).isPresent()) {
            log.event("resume-switch", "version", pending.version());
            confirmOrUndo(pending, Optional.empty());
        }
        else {
            stateFile.write(state.withPending(Optional.empty()));
        }
    }

    /** Reads manifest and signature from the store once each, keeping their bytes to install them. */
    private ReleaseReader metadataReader(Map<String, byte[]> metadata) {
        return path -> {
            byte[] bytes = metadata.get(path);
            if (bytes == null) {
                bytes = readWhole(path);
                metadata.put(path, bytes);
            }
            return new ByteArrayInputStream(bytes);
        };
    }

    /**
     * A small object's bytes. The request is retried by the source; a body cut off mid-way is read again from the start,
     * up to the download backoff's attempts.
     */
    private byte[] readWhole(String path) throws IOException {
        for (int attempt = 1; ; attempt++) {
            InputStream body = source.open(path, 0);
            try (InputStream input = body) {
                return limited(input.readNBytes(MAXIMUM_METADATA_BYTES + 1), path);
            }
            catch (IOException failure) {
                if (attempt >= downloadBackoff.attempts() || !Backoff.retryable(failure)) {
                    throw failure;
                }
                log.event("retry", "detail", "retry=" + attempt + "/" + (downloadBackoff.attempts() - 1) + " object=\"" + source.describe(path)
                        + "\" failure=\"" + String.valueOf(failure.getMessage()).replace('"', '\'') + "\"");
                downloadBackoff.pause(attempt);
            }
        }
    }

    private byte[] limited(byte[] bytes, String path) {
        if (bytes.length > MAXIMUM_METADATA_BYTES) {
            throw new YoloFleetException(ErrorCode.BAD_RELEASE, source.describe(path) + " is larger than " + MAXIMUM_METADATA_BYTES
                    + " bytes; it is no release file");
        }
        return bytes;
    }

    private YoloFleetException unreachable(String path, IOException e) {
        return new YoloFleetException(ErrorCode.IO, "cannot read " + source.describe(path) + ": " + e.getMessage()
                + " (retried " + config.retry().attempts() + " times in all; the next sync tries again)", e);
    }

    private void save(AgentState state, String event, Object... fields) {
        log.event(event, fields);
        StringBuilder message = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            message.append(message.isEmpty() ? "" : " ").append(fields[i]).append('=').append(fields[i + 1]);
        }
        stateFile.write(state.withEvent(new AgentState.Event(event, Optional.empty(), message.toString(), clock.instant())));
    }

    private void record(YoloFleetException failure) {
        String name = failure.code().type() == org.yolofleet.core.error.ErrorType.REFUSED ? "refused" : "failed";
        String message = failure.getMessage().replaceFirst("^\\[\\w+] ", "");
        log.event(name, "code", failure.code(), "reason", message);
        try {
            stateFile.write(stateFile.read().withError(new AgentState.Event(name, Optional.of(failure.code().name()), message, clock.instant())));
        }
        catch (YoloFleetException unwritable) {
            failure.addSuppressed(unwritable);
        }
    }
}

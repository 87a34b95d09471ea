package org.yolofleet.device.install;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.ReleaseReader;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.device.config.Profile;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The agent's directory ({@code device.install-dir}):
 * <pre>
 *   current -&gt; releases/&lt;version&gt;     the release that runs; replaced atomically (a new link renamed over it)
 *   releases/&lt;version&gt;/                 complete, verified releases: manifest.json, manifest.sig, the profile's artifact
 *   staging/&lt;version&gt;/                  a download in progress; partial files keep the bytes reached
 *   state.json                          {@link AgentState}
 *   agent.lock                          {@link InstanceLock}
 * </pre>
 * A release only appears under {@code releases/} by renaming a staged directory whose files were verified and fsynced,
 * and {@code current} only ever points there: whenever the agent is killed, {@code current} is a complete release.
 */
public final class InstallDirectory {
    public static final String CURRENT = "current";
    public static final String RELEASES = "releases";
    public static final String STAGING = "staging";
    public static final String STATE = "state.json";
    public static final String LOCK = "agent.lock";

    private final Path root;

    public InstallDirectory(Path root) {
        this.root = requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The {@code current} link. */
    public Path currentLink() {
        return root.resolve(CURRENT);
    }

    public Path releaseDirectory(String version) {
        return root.resolve(RELEASES).resolve(ReleaseLayout.requireSegment("version", version));
    }

    public Path stagingDirectory(String version) {
        return root.resolve(STAGING).resolve(ReleaseLayout.requireSegment("version", version));
    }

    public StateFile stateFile() {
        return new StateFile(root.resolve(STATE));
    }

    public Path lockFile() {
        return root.resolve(LOCK);
    }

    /** Creates the directories. */
    public void create() {
        try {
            Files.createDirectories(root.resolve(RELEASES));
            Files.createDirectories(root.resolve(STAGING));
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot create the install directory " + root + ": " + e.getMessage()
                    + " (device.install-dir; the agent's user must be able to write there)", e);
        }
    }

    /** The version {@code current} points at; empty when there is no link yet. */
    public Optional<String> currentVersion() {
        Path link = currentLink();
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read the link " + link + ": " + e.getMessage(), e);
        }
    }

    /** The release {@code current} points at; empty when there is none. */
    public Optional<InstalledRelease> current() {
        return currentVersion().flatMap(this::release);
    }

    /** The installed release of that version, if {@code releases/<version>/manifest.json} is there and readable. */
    public Optional<InstalledRelease> release(String version) {
        Path directory = releaseDirectory(version);
        Path manifest = directory.resolve(ReleaseLayout.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new InstalledRelease(version, directory, ReleaseManifest.fromJson(Files.readAllBytes(manifest))));
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read " + manifest + ": " + e.getMessage(), e);
        }
    }

    /** Every installed release, highest sequence first. */
    public List<InstalledRelease> releases() {
        Path directory = root.resolve(RELEASES);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<InstalledRelease> releases = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (ReleaseLayout.isSafeSegment(name)) {
                    release(name).ifPresent(releases::add);
                }
            }
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot list " + directory + ": " + e.getMessage(), e);
        }
        releases.sort(Comparator.comparingLong(InstalledRelease::sequence).reversed());
        return List.copyOf(releases);
    }

    /** Points {@code current} at {@code releases/<version>} atomically: a new link renamed over the old one. */
    public void switchTo(String version) {
        Path target = releaseDirectory(version);
        if (!Files.isDirectory(target)) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot switch to " + version + ": " + target + " is not installed");
        }
        Path fresh = root.resolve("." + CURRENT + ".new");
        try {
            Files.deleteIfExists(fresh);
            Files.createSymbolicLink(fresh, Path.of(RELEASES, version));
            Files.move(fresh, currentLink(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Durable.fsync(root);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot switch " + currentLink() + " to " + version + ": " + e.getMessage(), e);
        }
    }

    /** Removes {@code current}: after the first release ever installed failed its health check there is nothing to run. */
    public void clearCurrent() {
        try {
            Files.deleteIfExists(currentLink());
            Durable.fsync(root);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot remove " + currentLink() + ": " + e.getMessage(), e);
        }
    }

    /** Moves a verified, fsynced {@code staging/<version>} to {@code releases/<version>} in one rename. */
    public Path promote(String version) {
        Path staged = stagingDirectory(version);
        Path installed = releaseDirectory(version);
        try {
            Files.createDirectories(installed.getParent());
            Files.move(staged, installed, StandardCopyOption.ATOMIC_MOVE);
            Durable.fsync(installed.getParent());
            Durable.fsync(staged.getParent());
            return installed;
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot move " + staged + " to " + installed + ": " + e.getMessage(), e);
        }
    }

    /** Deletes {@code releases/<version>}, never the one {@code current} points at. */
    public void deleteRelease(String version) {
        if (currentVersion().filter(version::equals).isPresent()) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "refusing to delete the current release " + version);
        }
        discard(releaseDirectory(version));
    }

    /** Deletes every staged download except {@code keep}'s. */
    public void deleteStaging(Optional<String> keep) {
        Path directory = root.resolve(STAGING);
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            entries.filter(entry -> keep.isEmpty() || !entry.getFileName().toString().equals(keep.get())).forEach(InstallDirectory::deleteTree);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot clean " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Keeps the {@code keep} releases of highest sequence (the current one always) and the versions in {@code protect};
     * deletes the others. Returns the versions deleted.
     */
    public List<String> prune(int keep, Set<String> protect) {
        Optional<String> current = currentVersion();
        List<String> deleted = new ArrayList<>();
        int kept = 0;
        for (InstalledRelease release : releases()) {
            boolean isCurrent = current.filter(release.version()::equals).isPresent();
            if (isCurrent || protect.contains(release.version()) || kept < keep) {
                kept++;
                continue;
            }
            discard(release.directory());
            deleted.add(release.version());
        }
        return List.copyOf(deleted);
    }

    /**
     * Verifies an installed release in full: the signature of its manifest with the trusted keys, and the size and SHA-256
     * of the profile's artifact (which must be there) and of every other listed artifact present.
     */
    public VerifiedRelease verify(InstalledRelease release, ReleaseVerifier verifier, Profile profile) {
        ReleaseReader reader = directoryReader(release.directory());
        VerifiedRelease verified = verifier.verifyManifest(reader, release.manifest().model(), release.version());
        Optional<ArtifactEntry> model = profile.modelArtifact(verified.manifest());
        for (ArtifactEntry artifact : verified.manifest().artifacts()) {
            boolean isModel = model.filter(artifact::equals).isPresent();
            if (isModel || Files.exists(release.directory().resolve(artifact.name()))) {
                verifier.verifyArtifact(reader, verified, artifact.name());
            }
        }
        return verified;
    }

    /** Reads a release directory by release-layout paths ({@code releases/m/v/name} is {@code directory/name}). */
    public static ReleaseReader directoryReader(Path directory) {
        return path -> {
            Path file = directory.resolve(ReleaseLayout.requireSegment("file name", path.substring(path.lastIndexOf('/') + 1)));
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString());
            }
            return Files.newInputStream(file);
        };
    }

    /**
     * Deletes a release directory so that no half of it is ever left under {@code releases/}: a kill while its files were
     * being deleted one by one would leave a manifest without its model, listed as installed. It is renamed into
     * {@code staging/} first (one atomic step), then deleted; what a kill leaves there the next sync cleans up.
     */
    private void discard(Path release) {
        if (!Files.exists(release, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path trash = root.resolve(STAGING).resolve(".deleted-" + release.getFileName());
        try {
            deleteTree(trash);
            Files.createDirectories(trash.getParent());
            Files.move(release, trash, StandardCopyOption.ATOMIC_MOVE);
            Durable.fsync(release.getParent());
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot move " + release + " to " + trash + " to delete it: " + e.getMessage(), e);
        }
        deleteTree(trash);
    }

    static void deleteTree(Path path) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path entry : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot delete " + path + ": " + e.getMessage(), e);
        }
    }
}

package org.yolofleet.device.detect;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.ReleaseRejectedException;
import org.yolofleet.core.release.ReleaseRejectedException.Reason;
import org.yolofleet.core.release.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The ONNX model of an installed release: a directory holding {@value ReleaseLayout#MANIFEST} and the artifacts side by
 * side (what the agent installs, {@code current} included). The artifact is the one named, else the release's
 * {@link ArtifactFormat#ONNX_FP32} (the CPU profile's), else its {@link ArtifactFormat#ONNX_FP16}; its size and SHA-256
 * are checked against the manifest (streamed, the file is not held in memory) before anything runs it, so a file
 * changed on disk since the install is refused ({@link ErrorCode#RELEASE_TAMPERED}). The manifest's signature was
 * verified when the release was installed; this does not verify it again.
 *
 * @param directory the release directory
 * @param manifest its manifest
 * @param artifact the ONNX artifact that runs
 */
public record InstalledModel(Path directory, ReleaseManifest manifest, ArtifactEntry artifact) {
    /** The artifact formats ONNX Runtime runs, in the order they are preferred. */
    public static final List<ArtifactFormat> RUNNABLE_FORMATS = List.of(ArtifactFormat.ONNX_FP32, ArtifactFormat.ONNX_FP16);

    public InstalledModel {
        requireNonNull(directory, "directory");
        requireNonNull(manifest, "manifest");
        requireNonNull(artifact, "artifact");
    }

    /** The artifact's file. */
    public Path artifactFile() {
        return directory.resolve(artifact.name());
    }

    /** {@code <model> <version> (<artifact>, <format>)}, for summaries. */
    public String describe() {
        return manifest.model() + " " + manifest.version() + " (" + artifact.name() + ", " + artifact.format().key() + ")";
    }

    /**
     * Reads the release in {@code directory} and checks its ONNX artifact.
     *
     * @param artifactName the artifact to run; empty for the preferred ONNX one
     */
    public static InstalledModel open(Path directory, Optional<String> artifactName) {
        requireNonNull(directory, "directory");
        requireNonNull(artifactName, "artifactName");
        Path manifestFile = directory.resolve(ReleaseLayout.MANIFEST);
        byte[] manifestJson;
        try {
            manifestJson = Files.readAllBytes(manifestFile);
        }
        catch (NoSuchFileException e) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, "no installed release in " + directory + ": " + manifestFile
                    + " does not exist; run 'yolofleet-agent sync' first or name a release directory with --release", e);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read " + manifestFile + ": " + e.getMessage(), e);
        }
        ReleaseManifest manifest = ReleaseManifest.fromJson(manifestJson);
        ArtifactEntry artifact = artifactName.map(name -> named(manifest, name)).orElseGet(() -> preferred(manifest, directory));
        InstalledModel model = new InstalledModel(directory, manifest, artifact);
        model.checkArtifact();
        return model;
    }

    private static ArtifactEntry named(ReleaseManifest manifest, String name) {
        ArtifactEntry artifact = manifest.artifact(name).orElseThrow(() -> new YoloFleetException(ErrorCode.CONFIG, "release "
                + manifest.model() + " " + manifest.version() + " has no artifact '" + name + "'; it has " + names(manifest.artifacts())));
        if (!RUNNABLE_FORMATS.contains(artifact.format())) {
            throw new YoloFleetException(ErrorCode.CONFIG, "artifact '" + name + "' is " + artifact.format().key() + "; detect runs "
                    + formats() + " in ONNX Runtime: name one of " + names(runnable(manifest)));
        }
        return artifact;
    }

    /** The first runnable format's artifact whose file is here; a device installs only its profile's artifacts. */
    private static ArtifactEntry preferred(ReleaseManifest manifest, Path directory) {
        for (ArtifactFormat format : RUNNABLE_FORMATS) {
            for (ArtifactEntry artifact : manifest.artifacts()) {
                if (artifact.format() == format && Files.exists(directory.resolve(artifact.name()))) {
                    return artifact;
                }
            }
        }
        List<ArtifactEntry> runnable = runnable(manifest);
        if (!runnable.isEmpty()) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, "release " + manifest.model() + " " + manifest.version() + " has "
                    + names(runnable) + ", but none is installed in " + directory + ": a device installs only its profile's artifact;"
                    + " run detect where the cpu profile installed the release (or give --release a directory holding the ONNX file),"
                    + " and on a cpu device run 'yolofleet-agent verify'");
        }
        throw new YoloFleetException(ErrorCode.NOT_FOUND, "release " + manifest.model() + " " + manifest.version() + " has no "
                + formats() + " artifact for ONNX Runtime (it has " + names(manifest.artifacts()) + "); publish it with the ONNX export");
    }

    private void checkArtifact() {
        Path file = artifactFile();
        Sha256 digest;
        try (InputStream input = Files.newInputStream(file)) {
            digest = Sha256.of(input, artifact.size());
        }
        catch (NoSuchFileException e) {
            throw new ReleaseRejectedException(Reason.MISSING_ARTIFACT, file + " is listed in the manifest but does not exist;"
                    + " run 'yolofleet-agent verify' and sync again", e);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (digest.size() != artifact.size()) {
            throw new ReleaseRejectedException(Reason.ARTIFACT_SIZE, file + " has " + (digest.size() > artifact.size() ? "more than " : "")
                    + digest.size() + " bytes, the manifest lists " + artifact.size() + "; the installed file was changed, sync again");
        }
        if (!digest.hex().equals(artifact.sha256())) {
            throw new ReleaseRejectedException(Reason.ARTIFACT_HASH, file + " has SHA-256 " + digest.hex() + ", the manifest lists "
                    + artifact.sha256() + "; the installed file was changed, sync again");
        }
    }

    private static List<ArtifactEntry> runnable(ReleaseManifest manifest) {
        return manifest.artifacts().stream().filter(artifact -> RUNNABLE_FORMATS.contains(artifact.format())).toList();
    }

    private static String names(List<ArtifactEntry> artifacts) {
        return artifacts.isEmpty() ? "none" : artifacts.stream().map(artifact -> artifact.name() + " (" + artifact.format().key() + ")")
                .collect(Collectors.joining(", "));
    }

    private static String formats() {
        return RUNNABLE_FORMATS.stream().map(ArtifactFormat::key).collect(Collectors.joining(" or "));
    }
}

package org.yolofleet.ml;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.Ed25519Pem;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.ReleaseReader;
import org.yolofleet.core.release.ReleaseRejectedException;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.detect.Location;
import org.yolofleet.spark.HadoopFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What {@link YoloDetector} runs, decided on the driver before any data moves. A signed release — a directory holding
 * {@value ReleaseLayout#MANIFEST} (a release of the store, {@code <store>/releases/<model>/<version>/}, or a copy of
 * one), or a file inside such a directory — is verified as a device verifies it: {@value ReleaseLayout#SIGNATURE}
 * against the trusted public key, then the model artifact's size and SHA-256; the executors run that artifact only if
 * the bytes they load have the verified SHA-256. An ONNX export or a DL4J checkpoint named directly (no manifest beside
 * it) runs unverified, as {@code yolofleet detect} runs it.
 */
public final class ModelVerification {
    private ModelVerification() {
    }

    /**
     * The model to load on the executors.
     *
     * @param modelUri the file the executors load
     * @param sha256   the verified SHA-256 its bytes must have; empty for an unverified model
     * @param describe one line for logs: the release and key, or that it is unverified
     */
    public record ResolvedModel(String modelUri, Optional<String> sha256, String describe) {
        public ResolvedModel {
            requireNonNull(modelUri, "modelUri");
            requireNonNull(sha256, "sha256");
            requireNonNull(describe, "describe");
        }

        public boolean verified() {
            return sha256.isPresent();
        }
    }

    /**
     * Resolves {@code modelUri}: a signed release verified with the PEM public key at {@code trustedKeyUri} (its FP32
     * ONNX artifact, or the named file of it), anything else as it is.
     *
     * @throws YoloFleetException {@link ErrorCode#CONFIG} when {@code modelUri} is a release and no trusted key is given;
     *         {@link ReleaseRejectedException} ({@link ErrorCode#RELEASE_SIGNATURE}, {@link ErrorCode#RELEASE_TAMPERED})
     *         when the release does not verify
     */
    public static ResolvedModel resolve(String modelUri, Optional<String> trustedKeyUri, Configuration hadoop) {
        requireNonNull(modelUri, "modelUri");
        requireNonNull(trustedKeyUri, "trustedKeyUri");
        requireNonNull(hadoop, "hadoop");
        Location model = new Location(modelUri, hadoop);
        Location directory;
        Optional<String> file;
        if (model.isDirectory()) {
            directory = model;
            file = Optional.empty();
        } else {
            Optional<Location> parent = parent(model, hadoop);
            if (parent.isEmpty() || !parent.get().child(ReleaseLayout.MANIFEST).exists()) {
                return new ResolvedModel(modelUri, Optional.empty(), modelUri + " (not a signed release: unverified)");
            }
            directory = parent.get();
            file = Optional.of(model.name());
        }
        Location manifest = directory.child(ReleaseLayout.MANIFEST);
        if (!manifest.exists()) {
            return new ResolvedModel(modelUri, Optional.empty(), modelUri + " (not a signed release: unverified)");
        }
        if (trustedKeyUri.isEmpty()) {
            throw new YoloFleetException(ErrorCode.CONFIG, "YoloDetector modelUri " + modelUri + " is a signed release ("
                    + ReleaseLayout.MANIFEST + " in " + directory.text() + ") and no trustedKeyUri is set: setTrustedKeyUri(the publisher's"
                    + " Ed25519 public key, PEM, as `yolofleet publish keygen` wrote it) to verify it, or name an unsigned ONNX export");
        }
        TrustedKeys trusted = TrustedKeys.of(List.of(Ed25519Pem.readPublicKey(
                new String(new Location(trustedKeyUri.get(), hadoop).readAllBytes(), StandardCharsets.US_ASCII), "trustedKeyUri " + trustedKeyUri.get())));
        // the manifest names its model and version; the reader serves that release's paths from the directory
        ReleaseManifest unverified = ReleaseManifest.fromJson(manifest.readAllBytes());
        ReleaseReader reader = new DirectoryReleaseReader(directory, ReleaseLayout.releaseDirectory(unverified.model(), unverified.version()), hadoop);
        ReleaseVerifier verifier = new ReleaseVerifier(trusted);
        VerifiedRelease release = verifier.verifyManifest(reader, unverified.model(), unverified.version());
        ArtifactEntry artifact = file.map(name -> release.manifest().artifact(name).orElseThrow(() -> new ReleaseRejectedException(
                        ReleaseRejectedException.Reason.MISSING_ARTIFACT, "YoloDetector modelUri " + modelUri + " is in release "
                        + release.manifest().model() + " " + release.manifest().version() + ", whose signed manifest does not list " + name)))
                .orElseGet(() -> release.manifest().artifacts().stream().filter(entry -> entry.format() == ArtifactFormat.ONNX_FP32).findFirst()
                        .orElseThrow(() -> new YoloFleetException(ErrorCode.BAD_RELEASE, "release " + release.manifest().model() + " "
                                + release.manifest().version() + " at " + directory.text() + " has no " + ArtifactFormat.ONNX_FP32.key()
                                + " artifact for YoloDetector to run")));
        verifier.verifyArtifact(reader, release, artifact.name());
        return new ResolvedModel(directory.child(artifact.name()).text(), Optional.of(artifact.sha256()), "release "
                + release.manifest().model() + " " + release.manifest().version() + " (" + artifact.name() + "), signed by key "
                + release.keyId() + ", verified");
    }

    /** The directory holding {@code file}; empty for a root. */
    private static Optional<Location> parent(Location file, Configuration hadoop) {
        if (file.isLocal()) {
            return Optional.ofNullable(file.localPath().toAbsolutePath().getParent()).map(path -> new Location(path.toString(), hadoop));
        }
        String text = file.text();
        int slash = text.lastIndexOf('/');
        return slash <= text.indexOf("://") + 2 ? Optional.empty() : Optional.of(new Location(text.substring(0, slash), hadoop));
    }

    /** A release directory read as the release root's {@code releases/<model>/<version>/} prefix. */
    private record DirectoryReleaseReader(Location directory, String prefix, Configuration hadoop) implements ReleaseReader {
        @Override
        public InputStream open(String relativePath) throws IOException {
            if (!relativePath.startsWith(prefix + "/")) {
                throw new NoSuchFileException(relativePath);
            }
            Location file = directory.child(relativePath.substring(prefix.length() + 1));
            if (file.isLocal()) {
                return Files.newInputStream(file.localPath());
            }
            return HadoopFiles.fileSystem(file.text(), hadoop).open(new Path(file.text()));
        }
    }
}

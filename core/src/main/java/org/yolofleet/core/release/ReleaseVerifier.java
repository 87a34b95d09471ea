package org.yolofleet.core.release;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ReleaseRejectedException.Reason;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Decides whether a release may be installed: its {@code manifest.sig} verifies over {@code manifest.json}'s exact bytes
 * with a trusted key, the manifest names the model and version it was found under, and every artifact has the listed
 * size and SHA-256 (read as a stream, never held in memory). Failures are {@link ReleaseRejectedException}s
 * ({@link ErrorCode#RELEASE_SIGNATURE}, {@link ErrorCode#RELEASE_TAMPERED}); a missing manifest or channel pointer is
 * {@link ErrorCode#NOT_FOUND}, a failed read {@link ErrorCode#IO}, a signed manifest this reader cannot parse
 * {@link ErrorCode#BAD_RELEASE}.
 *
 * <p>A device that fetches only its own artifact calls {@link #verifyManifest} and then {@link #verifyArtifact} for it.
 * The caller still decides whether the release is newer than what it runs ({@link ReleaseManifest#sequence()}).
 */
public final class ReleaseVerifier {
    /** The most bytes read from a manifest, signature or channel pointer: far more than any holds. */
    static final int MAXIMUM_METADATA_BYTES = 8 * 1024 * 1024;

    private final TrustedKeys trustedKeys;

    public ReleaseVerifier(TrustedKeys trustedKeys) {
        this.trustedKeys = requireNonNull(trustedKeys, "trustedKeys");
    }

    /** Verifies the manifest's signature and every artifact of {@code releases/<model>/<version>}. */
    public VerifiedRelease verify(ReleaseReader reader, String model, String version) {
        VerifiedRelease release = verifyManifest(reader, model, version);
        for (ArtifactEntry artifact : release.manifest().artifacts()) {
            verifyArtifact(reader, release, artifact.name());
        }
        return release;
    }

    /** Verifies the manifest's signature and that it names this model and version; the artifacts are not read. */
    public VerifiedRelease verifyManifest(ReleaseReader reader, String model, String version) {
        requireNonNull(reader, "reader");
        String manifestPath = ReleaseLayout.manifest(model, version);
        byte[] manifestJson = readMetadata(reader, manifestPath)
                .orElseThrow(() -> new YoloFleetException(ErrorCode.NOT_FOUND, "no release " + model + " " + version + ": " + manifestPath + " does not exist"));
        String signaturePath = ReleaseLayout.signature(model, version);
        byte[] signatureJson = readMetadata(reader, signaturePath)
                .orElseThrow(() -> new ReleaseRejectedException(Reason.UNSIGNED, "release " + model + " " + version + " has no signature: "
                        + signaturePath + " does not exist"));
        String keyId = trustedKeys.verify(manifestJson, ManifestSignature.fromJson(signatureJson));
        ReleaseManifest manifest = ReleaseManifest.fromJson(manifestJson);
        if (!manifest.model().equals(model) || !manifest.version().equals(version)) {
            throw new ReleaseRejectedException(Reason.WRONG_RELEASE, manifestPath + " is the signed manifest of " + manifest.model() + " "
                    + manifest.version() + ", not of " + model + " " + version + ": a release was copied to another path");
        }
        return new VerifiedRelease(manifest, keyId, Sha256.of(manifestJson).hex());
    }

    /** Checks one artifact of a verified release: present, of the listed size and SHA-256. */
    public void verifyArtifact(ReleaseReader reader, VerifiedRelease release, String name) {
        requireNonNull(reader, "reader");
        requireNonNull(release, "release");
        ReleaseManifest manifest = release.manifest();
        ArtifactEntry artifact = manifest.artifact(name).orElseThrow(() -> new YoloFleetException(ErrorCode.NOT_FOUND,
                "release " + manifest.model() + " " + manifest.version() + " lists no artifact '" + name + "'"));
        String path = ReleaseLayout.artifact(manifest.model(), manifest.version(), name);
        Sha256 digest;
        try (InputStream input = reader.open(path)) {
            digest = Sha256.of(input, artifact.size());
        }
        catch (NoSuchFileException | FileNotFoundException e) {
            throw new ReleaseRejectedException(Reason.MISSING_ARTIFACT, path + " is listed in the signed manifest but does not exist", e);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read " + path + ": " + e.getMessage(), e);
        }
        if (digest.size() != artifact.size()) {
            throw new ReleaseRejectedException(Reason.ARTIFACT_SIZE, path + " has " + (digest.size() > artifact.size() ? "more than " : "")
                    + digest.size() + " bytes, the signed manifest lists " + artifact.size());
        }
        if (!digest.hex().equals(artifact.sha256())) {
            throw new ReleaseRejectedException(Reason.ARTIFACT_HASH, path + " has SHA-256 " + digest.hex() + ", the signed manifest lists "
                    + artifact.sha256());
        }
    }

    /**
     * Follows {@code channels/<model>/<channel>.json} to its release and verifies that release ({@link #verify}), and that
     * the pointer names its manifest's SHA-256, model, version and sequence ({@link Reason#POINTER_MISMATCH} otherwise).
     */
    public VerifiedRelease verifyChannel(ReleaseReader reader, String model, String channel) {
        requireNonNull(reader, "reader");
        String pointerPath = ReleaseLayout.channelPointer(model, channel);
        ChannelPointer pointer = ChannelPointer.fromJson(readMetadata(reader, pointerPath)
                .orElseThrow(() -> new YoloFleetException(ErrorCode.NOT_FOUND, "model " + model + " has no channel " + channel + ": "
                        + pointerPath + " does not exist")));
        if (!pointer.model().equals(model) || !pointer.channel().equals(channel)) {
            throw new ReleaseRejectedException(Reason.POINTER_MISMATCH, pointerPath + " is the pointer of " + pointer.model() + " "
                    + pointer.channel() + ", not of " + model + " " + channel);
        }
        VerifiedRelease release = verify(reader, model, pointer.version());
        if (!release.manifestSha256().equals(pointer.manifestSha256()) || release.manifest().sequence() != pointer.sequence()) {
            throw new ReleaseRejectedException(Reason.POINTER_MISMATCH, pointerPath + " names manifest " + pointer.manifestSha256()
                    + " at sequence " + pointer.sequence() + ", but " + model + " " + pointer.version() + " has manifest "
                    + release.manifestSha256() + " at sequence " + release.manifest().sequence());
        }
        return release;
    }

    /** The file's bytes, empty when it does not exist; {@link ErrorCode#BAD_RELEASE} beyond {@link #MAXIMUM_METADATA_BYTES}. */
    private static Optional<byte[]> readMetadata(ReleaseReader reader, String path) {
        try (InputStream input = reader.open(path)) {
            byte[] bytes = input.readNBytes(MAXIMUM_METADATA_BYTES + 1);
            if (bytes.length > MAXIMUM_METADATA_BYTES) {
                throw new YoloFleetException(ErrorCode.BAD_RELEASE, path + " is larger than " + MAXIMUM_METADATA_BYTES + " bytes; it is no release file");
            }
            return Optional.of(bytes);
        }
        catch (NoSuchFileException | FileNotFoundException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}

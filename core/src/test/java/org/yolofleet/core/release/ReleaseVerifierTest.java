package org.yolofleet.core.release;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ReleaseRejectedException.Reason;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.yolofleet.core.release.ReleaseFixtures.MODEL;
import static org.yolofleet.core.release.ReleaseFixtures.ONNX;
import static org.yolofleet.core.release.ReleaseFixtures.VERSION;
import static org.yolofleet.core.release.ReleaseFixtures.WEIGHTS;

class ReleaseVerifierTest {
    private static final KeyPair PUBLISHER = SigningKeys.generate();
    private static final KeyPair NEXT_PUBLISHER = SigningKeys.generate();
    private static final KeyPair STRANGER = SigningKeys.generate();
    /** Larger than the hashing chunk, so the streaming digest loops. */
    private static final int WEIGHTS_SIZE = 200_000;

    @TempDir
    Path root;
    private FileReleaseReader reader;
    private ReleaseVerifier verifier;

    @BeforeEach
    void writeRelease() throws IOException {
        ReleaseFixtures.writeRelease(root, VERSION, 7, new ManifestSigner(PUBLISHER.getPrivate()), WEIGHTS_SIZE);
        reader = new FileReleaseReader(root);
        verifier = new ReleaseVerifier(TrustedKeys.of(List.of(PUBLISHER.getPublic())));
    }

    @Test
    void verifiesASignedRelease() {
        VerifiedRelease release = verifier.verify(reader, MODEL, VERSION);
        assertThat(release.keyId()).isEqualTo(SigningKeys.keyId(PUBLISHER.getPublic())).hasSize(16);
        assertThat(release.manifest().sequence()).isEqualTo(7);
        assertThat(release.manifest().artifacts()).extracting(ArtifactEntry::name).containsExactly(WEIGHTS, ONNX);
        assertThat(release.manifestSha256()).isEqualTo(Sha256.of(read(ReleaseLayout.manifest(MODEL, VERSION))).hex());
    }

    @Test
    void streamsArtifactsWithoutReadingPastTheListedSize() throws IOException {
        // an artifact replaced by a much larger file is refused after reading one byte more than listed
        Path weights = file(ReleaseLayout.artifact(MODEL, VERSION, WEIGHTS));
        Files.write(weights, new byte[10 * WEIGHTS_SIZE]);
        AtomicLong bytesRead = new AtomicLong();
        ReleaseReader counting = path -> new CountingStream(reader.open(path), bytesRead);
        VerifiedRelease release = verifier.verifyManifest(counting, MODEL, VERSION);
        bytesRead.set(0);
        assertRejected(() -> verifier.verifyArtifact(counting, release, WEIGHTS), Reason.ARTIFACT_SIZE, "more than " + (WEIGHTS_SIZE + 1) + " bytes");
        assertThat(bytesRead.get()).isEqualTo(WEIGHTS_SIZE + 1);
    }

    @Test
    void refusesAFlippedByteInTheManifest() throws IOException {
        Path manifest = file(ReleaseLayout.manifest(MODEL, VERSION));
        byte[] bytes = Files.readAllBytes(manifest);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int index = text.indexOf("\"sequence\": 7") + "\"sequence\": ".length();
        bytes[index] = '8';
        Files.write(manifest, bytes);
        assertRejected(() -> verifier.verify(reader, MODEL, VERSION), Reason.BAD_SIGNATURE, "does not verify");
    }

    @Test
    void refusesAFlippedByteInAnArtifact() throws IOException {
        Path onnx = file(ReleaseLayout.artifact(MODEL, VERSION, ONNX));
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[500] ^= 0x01;
        Files.write(onnx, bytes);
        assertRejected(() -> verifier.verify(reader, MODEL, VERSION), Reason.ARTIFACT_HASH, ONNX + " has SHA-256");
    }

    @Test
    void refusesAnArtifactOfAnotherSize() throws IOException {
        Path onnx = file(ReleaseLayout.artifact(MODEL, VERSION, ONNX));
        byte[] bytes = Files.readAllBytes(onnx);
        Files.write(onnx, Arrays.copyOf(bytes, bytes.length - 1));
        assertRejected(() -> verifier.verify(reader, MODEL, VERSION), Reason.ARTIFACT_SIZE, "has 999 bytes, the signed manifest lists 1000");
    }

    @Test
    void refusesAMissingArtifact() throws IOException {
        Files.delete(file(ReleaseLayout.artifact(MODEL, VERSION, WEIGHTS)));
        assertRejected(() -> verifier.verify(reader, MODEL, VERSION), Reason.MISSING_ARTIFACT, WEIGHTS + " is listed");
    }

    @Test
    void refusesAnUnknownKey() {
        ReleaseVerifier strangers = new ReleaseVerifier(TrustedKeys.of(List.of(STRANGER.getPublic())));
        assertRejected(() -> strangers.verify(reader, MODEL, VERSION), Reason.UNKNOWN_KEY, SigningKeys.keyId(PUBLISHER.getPublic()));
    }

    @Test
    void refusesASignatureByAnotherKeyUnderATrustedKeyId() throws IOException {
        byte[] manifest = read(ReleaseLayout.manifest(MODEL, VERSION));
        ManifestSignature forged = ManifestSignature.of(SigningKeys.keyId(PUBLISHER.getPublic()),
                new ManifestSigner(STRANGER.getPrivate()).sign(manifest).bytes());
        Files.write(file(ReleaseLayout.signature(MODEL, VERSION)), forged.toJson());
        assertRejected(() -> verifier.verify(reader, MODEL, VERSION), Reason.BAD_SIGNATURE, "does not verify");
        // signed by the stranger under its own id: unknown
        Files.write(file(ReleaseLayout.signature(MODEL, VERSION)), new ManifestSigner(STRANGER.getPrivate()).sign(manifest).toJson());
        assertRejected(() -> verifier.verify(reader, MODEL, VERSION), Reason.UNKNOWN_KEY, "not trusted");
    }

    @Test
    void refusesAnUnsignedOrMalformedSignature() throws IOException {
        Path signature = file(ReleaseLayout.signature(MODEL, VERSION));
        Files.writeString(signature, "{\"keyId\": \"0011223344556677\", \"algorithm\": \"RSA\", \"signature\": \"AA==\"}");
        assertRejected(() -> verifier.verify(reader, MODEL, VERSION), Reason.MALFORMED_SIGNATURE, "'algorithm' is 'RSA'");
        Files.delete(signature);
        assertRejected(() -> verifier.verify(reader, MODEL, VERSION), Reason.UNSIGNED, "has no signature");
    }

    @Test
    void refusesASignedReleaseCopiedToAnotherVersion() throws IOException {
        Path from = root.resolve(ReleaseLayout.releaseDirectory(MODEL, VERSION));
        Path to = root.resolve(ReleaseLayout.releaseDirectory(MODEL, "2026.12.07-1"));
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path source : files.toList()) {
                Files.copy(source, to.resolve(source.getFileName()));
            }
        }
        assertRejected(() -> verifier.verify(reader, MODEL, "2026.12.07-1"), Reason.WRONG_RELEASE, "copied to another path");
    }

    @Test
    void trustsEitherKeyWhileKeysRotate() throws IOException {
        TrustedKeys both = TrustedKeys.of(List.of(PUBLISHER.getPublic(), NEXT_PUBLISHER.getPublic()));
        ReleaseVerifier rotating = new ReleaseVerifier(both);
        assertThat(both.keyIds()).containsExactly(SigningKeys.keyId(PUBLISHER.getPublic()), SigningKeys.keyId(NEXT_PUBLISHER.getPublic()));
        assertThat(rotating.verify(reader, MODEL, VERSION).keyId()).isEqualTo(SigningKeys.keyId(PUBLISHER.getPublic()));
        ReleaseFixtures.writeRelease(root, "2026.12.07-1", 8, new ManifestSigner(NEXT_PUBLISHER.getPrivate()), 100);
        assertThat(rotating.verify(reader, MODEL, "2026.12.07-1").keyId()).isEqualTo(SigningKeys.keyId(NEXT_PUBLISHER.getPublic()));
        // a device that has dropped the old key refuses the old release
        assertRejected(() -> new ReleaseVerifier(TrustedKeys.of(List.of(NEXT_PUBLISHER.getPublic()))).verify(reader, MODEL, VERSION),
                Reason.UNKNOWN_KEY, "not trusted");
    }

    @Test
    void followsAChannelPointerToItsRelease() throws IOException {
        VerifiedRelease release = verifier.verify(reader, MODEL, VERSION);
        byte[] manifestJson = read(ReleaseLayout.manifest(MODEL, VERSION));
        ChannelPointer pointer = ChannelPointer.to(release.manifest(), manifestJson, "stable", Instant.parse("2026-12-06T18:00:00Z"), Optional.empty());
        Path pointerFile = file(ReleaseLayout.channelPointer(MODEL, "stable"));
        Files.createDirectories(pointerFile.getParent());
        Files.write(pointerFile, pointer.toJson());
        assertThat(verifier.verifyChannel(reader, MODEL, "stable")).isEqualTo(release);
        ChannelPointer wrongHash = new ChannelPointer(MODEL, "stable", VERSION, 7, "0".repeat(64), pointer.updatedAt(), Optional.empty());
        Files.write(pointerFile, wrongHash.toJson());
        assertRejected(() -> verifier.verifyChannel(reader, MODEL, "stable"), Reason.POINTER_MISMATCH, "names manifest " + "0".repeat(64));
        assertThatThrownBy(() -> verifier.verifyChannel(reader, MODEL, "canary"))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void aMissingReleaseIsNotFound() {
        assertThatThrownBy(() -> verifier.verify(reader, MODEL, "0.0.0"))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("releases/voc-tiny/0.0.0/manifest.json does not exist");
        assertThatThrownBy(() -> reader.open("../outside")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertRejected(ThrowingCallable call, Reason reason, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(ReleaseRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.code()).isEqualTo(reason.code());
                })
                .hasMessageContaining(message);
    }

    private Path file(String relativePath) {
        return reader.resolve(relativePath);
    }

    private byte[] read(String relativePath) {
        try {
            return Files.readAllBytes(file(relativePath));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingStream extends FilterInputStream {
        private final AtomicLong count;

        CountingStream(InputStream input, AtomicLong count) {
            super(input);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int value = super.read();
            if (value >= 0) {
                count.incrementAndGet();
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                count.addAndGet(read);
            }
            return read;
        }
    }
}

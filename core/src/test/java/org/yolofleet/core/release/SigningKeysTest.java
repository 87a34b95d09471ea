package org.yolofleet.core.release;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeysTest {
    @TempDir
    Path directory;

    @Test
    void writesPemAsOpensslDoes() throws IOException {
        KeyPair pair = SigningKeys.generate();
        Path privateFile = directory.resolve("release-signing.pem");
        Path publicFile = directory.resolve("release-signing.pub.pem");
        SigningKeys.write(pair, privateFile, publicFile);
        // PKCS#8 of Ed25519 is 48 bytes (64 base64 characters), the SubjectPublicKeyInfo 44 (60 characters): one line each
        assertThat(Files.readString(privateFile)).matches("-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/]{64}\n-----END PRIVATE KEY-----\n");
        assertThat(Files.readString(publicFile)).matches("-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/]{59}=\n-----END PUBLIC KEY-----\n");
        assertThat(Files.readString(privateFile)).startsWith("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI");
        assertThat(Files.readString(publicFile)).startsWith("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA");
        if (Files.getFileStore(privateFile).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(privateFile)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        assertThat(SigningKeys.readPrivateKey(privateFile).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(SigningKeys.readPublicKey(publicFile)).isEqualTo(pair.getPublic());
        assertThatThrownBy(() -> SigningKeys.write(SigningKeys.generate(), privateFile, directory.resolve("other.pem")))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OUTPUT_EXISTS));
    }

    @Test
    void readsAndSignsInteroperablyWithOpenssl() throws Exception {
        Path privateFile = directory.resolve("private.pem");
        Path publicFile = directory.resolve("public.pem");
        Path message = directory.resolve("manifest.json");
        Files.write(message, ReleaseFixtures.manifest("v1", 1, List.of()).toJson());
        if (!opensslAvailable()) {
            // no openssl on this machine: the files come from the JDK, whose exact shape writesPemAsOpensslDoes checks
            SigningKeys.write(SigningKeys.generate(), privateFile, publicFile);
            assertThat(SigningKeys.keyId(SigningKeys.readPublicKey(publicFile))).hasSize(16);
            return;
        }
        openssl("genpkey", "-algorithm", "ed25519", "-out", privateFile.toString());
        openssl("pkey", "-in", privateFile.toString(), "-pubout", "-out", publicFile.toString());
        Path publicDer = directory.resolve("public.der");
        openssl("pkey", "-pubin", "-in", publicFile.toString(), "-outform", "DER", "-out", publicDer.toString());
        Path signatureFile = directory.resolve("signature.bin");
        openssl("pkeyutl", "-sign", "-rawin", "-inkey", privateFile.toString(), "-in", message.toString(), "-out", signatureFile.toString());

        PrivateKey privateKey = SigningKeys.readPrivateKey(privateFile);
        PublicKey publicKey = SigningKeys.readPublicKey(publicFile);
        // our PEM of the keys openssl wrote is byte for byte openssl's
        assertThat(Ed25519Pem.privateKeyPem(privateKey)).isEqualTo(Files.readString(privateFile));
        assertThat(Ed25519Pem.publicKeyPem(publicKey)).isEqualTo(Files.readString(publicFile));
        // the key id is the SHA-256 of the DER openssl writes
        String expectedId = HexFormat.of().formatHex(Sha256.digest().digest(Files.readAllBytes(publicDer))).substring(0, 16);
        assertThat(SigningKeys.keyId(publicKey)).isEqualTo(expectedId);
        assertThat(SigningKeys.publicKeyOf(privateKey)).isEqualTo(publicKey);
        // openssl's signature verifies with our trusted keys, and ours is the same (Ed25519 is deterministic)
        byte[] manifest = Files.readAllBytes(message);
        ManifestSignature opensslSignature = ManifestSignature.of(expectedId, Files.readAllBytes(signatureFile));
        assertThat(TrustedKeys.of(List.of(publicKey)).verify(manifest, opensslSignature)).isEqualTo(expectedId);
        assertThat(new ManifestSigner(privateKey).sign(manifest)).isEqualTo(opensslSignature);
    }

    @Test
    void derivesThePublicKeyAndKeyIdFromThePrivateKey() {
        KeyPair pair = SigningKeys.generate();
        assertThat(SigningKeys.publicKeyOf(pair.getPrivate())).isEqualTo(pair.getPublic());
        ManifestSigner signer = new ManifestSigner(pair.getPrivate());
        assertThat(signer.keyId()).isEqualTo(SigningKeys.keyId(pair.getPublic())).matches("[0-9a-f]{16}");
        byte[] manifest = ReleaseFixtures.manifest("v1", 1, List.of()).toJson();
        ManifestSignature signature = signer.sign(manifest);
        assertThat(ManifestSignature.fromJson(signature.toJson())).isEqualTo(signature);
        assertThat(new String(signature.toJson(), StandardCharsets.UTF_8)).contains("\"algorithm\": \"Ed25519\"");
        assertThat(signer.sign(manifest)).isEqualTo(signature);
    }

    @Test
    void readsThePrivateKeyFromAnEnvironmentVariable() {
        KeyPair pair = SigningKeys.generate();
        String pem = Ed25519Pem.privateKeyPem(pair.getPrivate());
        assertThat(SigningKeys.privateKeyFromEnvironment("YOLOFLEET_SIGNING_KEY", Map.of("YOLOFLEET_SIGNING_KEY", pem)).getEncoded())
                .isEqualTo(pair.getPrivate().getEncoded());
        assertThatThrownBy(() -> SigningKeys.privateKeyFromEnvironment("YOLOFLEET_SIGNING_KEY", Map.of()))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("YOLOFLEET_SIGNING_KEY is not set");
        String publicPem = Ed25519Pem.publicKeyPem(pair.getPublic());
        assertThatThrownBy(() -> SigningKeys.privateKeyFromEnvironment("KEY", Map.of("KEY", publicPem)))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("environment variable KEY holds another PEM block than '-----BEGIN PRIVATE KEY-----'");
        String garbled = pem.replace("MC4CAQAw", "MC4CAQBw");
        assertThatThrownBy(() -> SigningKeys.privateKeyFromEnvironment("KEY", Map.of("KEY", garbled)))
                .hasMessageContaining("holds no Ed25519 private key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(garbled.substring(28, 60)));
        assertThatThrownBy(() -> SigningKeys.readPrivateKey(directory.resolve("absent.pem")))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    private static boolean opensslAvailable() {
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", command, output).isZero();
    }
}

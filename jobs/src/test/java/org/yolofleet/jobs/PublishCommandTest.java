package org.yolofleet.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorType;
import org.yolofleet.core.release.ManifestSigner;
import org.yolofleet.core.release.ReleaseFixtures;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.SigningKeys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PublishCommandTest {
    @Test
    void keygenWritesAPairThatSignsAndNeverOverwrites(@TempDir Path keys) throws Exception {
        Path privateKey = keys.resolve("signing.pem");
        Path publicKey = keys.resolve("signing.pub.pem");
        CommandLineRun first = CommandLineRun.of("publish", "keygen", "--private-key", privateKey.toString(), "--public-key", publicKey.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        String keyId = SigningKeys.keyId(SigningKeys.readPublicKey(publicKey));
        assertThat(first.out()).startsWith("key " + keyId);
        assertThat(SigningKeys.keyId(SigningKeys.publicKeyOf(SigningKeys.readPrivateKey(privateKey)))).isEqualTo(keyId);
        assertThat(Files.getPosixFilePermissions(privateKey)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

        CommandLineRun again = CommandLineRun.of("publish", "keygen", "--private-key", privateKey.toString(), "--public-key", publicKey.toString());
        assertThat(again.exitCode()).isEqualTo(ErrorType.USER.exitCode());
        assertThat(again.err()).contains("OUTPUT_EXISTS");
        assertThat(SigningKeys.keyId(SigningKeys.readPublicKey(publicKey))).isEqualTo(keyId);
    }

    @Test
    void publishWithoutASigningKeyFailsAtStartNamingHowToMakeOne(@TempDir Path runs) {
        CommandLineRun run = CommandLineRun.of("publish", "--runs-root", runs.toUri().toString(), "--set",
                "yolofleet.publish.signing.private-key-env=YOLOFLEET_TEST_UNSET_KEY");
        assertThat(run.exitCode()).isEqualTo(ErrorType.USER.exitCode());
        assertThat(run.err()).contains("CONFIG").contains("publish keygen");
    }

    @Test
    void promoteListAndVerifyWorkOnTheStoreAndATamperedReleaseExitsAsRefused(@TempDir Path store, @TempDir Path keys) throws Exception {
        Path privateKey = keys.resolve("signing.pem");
        Path publicKey = keys.resolve("signing.pub.pem");
        assertThat(CommandLineRun.of("publish", "keygen", "--private-key", privateKey.toString(), "--public-key", publicKey.toString()).exitCode())
                .isZero();
        ManifestSigner signer = new ManifestSigner(SigningKeys.readPrivateKey(privateKey));
        ReleaseFixtures.writeRelease(store, "v1", 1, signer, 2048);
        ReleaseFixtures.writeRelease(store, "v2", 2, signer, 2048);
        String[] common = {"--store", store.toString(), "--model", ReleaseFixtures.MODEL, "--set",
                "publish.signing.private-key=" + privateKey};

        CommandLineRun promoted = CommandLineRun.of(concat(new String[] {"publish", "promote", "--channel", "stable", "--version-name", "v2"}, common));
        assertThat(promoted.exitCode()).as(promoted.err()).isZero();
        assertThat(promoted.out()).contains("(new channel) -> v2");
        CommandLineRun listed = CommandLineRun.of(concat(new String[] {"publish", "list"}, common));
        assertThat(listed.out()).contains("v1", "v2", "channel stable");
        CommandLineRun verified = CommandLineRun.of(concat(new String[] {"publish", "verify", "--version-name", "v1", "--public-key",
                publicKey.toString()}, common));
        assertThat(verified.exitCode()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("verified: " + ReleaseFixtures.MODEL + " v1");

        Path weights = store.resolve(ReleaseLayout.artifact(ReleaseFixtures.MODEL, "v1", "model.weights"));
        byte[] bytes = Files.readAllBytes(weights);
        bytes[0] ^= 1;
        Files.write(weights, bytes);
        CommandLineRun tampered = CommandLineRun.of(concat(new String[] {"publish", "verify", "--version-name", "v1"}, common));
        assertThat(tampered.exitCode()).isEqualTo(ErrorType.REFUSED.exitCode());
        assertThat(tampered.err()).contains("RELEASE_TAMPERED").contains("model.weights");
        CommandLineRun rolledBack = CommandLineRun.of(concat(new String[] {"publish", "rollback", "--channel", "stable"}, common));
        assertThat(rolledBack.exitCode()).isEqualTo(ErrorType.USER.exitCode());
        assertThat(rolledBack.err()).contains("no earlier release");
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}

package org.yolofleet.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorType;
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
}

package org.yolofleet.publish.channel;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ChannelPointer;
import org.yolofleet.core.release.FileReleaseReader;
import org.yolofleet.core.release.ManifestSigner;
import org.yolofleet.core.release.ReleaseFixtures;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.publish.store.LocalReleaseStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelMoverTest {
    private static final String MODEL = ReleaseFixtures.MODEL;
    @TempDir
    Path root;
    private KeyPair keys;
    private LocalReleaseStore store;
    private ChannelMover mover;

    @BeforeEach
    void twoReleases() throws IOException {
        keys = SigningKeys.generate();
        ManifestSigner signer = new ManifestSigner(keys.getPrivate());
        ReleaseFixtures.writeRelease(root, "v1", 1, signer, 4096);
        ReleaseFixtures.writeRelease(root, "v2", 2, signer, 4096);
        store = new LocalReleaseStore(root);
        mover = new ChannelMover(store, TrustedKeys.of(List.of(keys.getPublic())), Clock.systemUTC());
    }

    private ChannelPointer pointer(String channel) throws IOException {
        return ChannelPointer.fromJson(Files.readAllBytes(root.resolve(ReleaseLayout.channelPointer(MODEL, channel))));
    }

    @Test
    void promoteAndRollbackMoveTheChannelBetweenVerifiedReleasesAndASecondRollbackUndoesTheFirst() throws IOException {
        ChannelMover.Move first = mover.promote(MODEL, "stable", "v1");
        assertThat(first.moved()).isTrue();
        assertThat(first.from()).isEmpty();
        assertThat(mover.promote(MODEL, "stable", "v2").from()).contains("v1");
        // what a device checks: the pointer names a genuine, complete release
        assertThat(new ReleaseVerifier(TrustedKeys.of(List.of(keys.getPublic()))).verifyChannel(new FileReleaseReader(root), MODEL, "stable")
                .manifest().version()).isEqualTo("v2");

        ChannelMover.Move back = mover.rollback(MODEL, "stable");
        assertThat(back.to()).isEqualTo("v1");
        assertThat(pointer("stable").version()).isEqualTo("v1");
        assertThat(pointer("stable").previousVersion()).contains("v2");
        assertThat(mover.rollback(MODEL, "stable").to()).isEqualTo("v2");

        ChannelMover.Move again = mover.promote(MODEL, "stable", "v2");
        assertThat(again.moved()).isFalse();
        assertThat(again.describe()).contains("already serves v2");

        assertThat(ReleaseListing.read(store, MODEL).text()).contains("v1", "v2", "channel stable").containsPattern("v2 +2 .*stable");
    }

    @Test
    void aTamperedOrForeignReleaseIsRefusedAndTheChannelStaysWhereItWas() throws IOException {
        mover.promote(MODEL, "stable", "v2");
        Path onnx = root.resolve(ReleaseLayout.artifact(MODEL, "v1", ReleaseFixtures.ONNX));
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[10] ^= 1;
        Files.write(onnx, bytes);
        assertThatThrownBy(() -> mover.promote(MODEL, "stable", "v1"))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.RELEASE_TAMPERED));
        assertThat(pointer("stable").version()).isEqualTo("v2");

        ChannelMover stranger = new ChannelMover(store, TrustedKeys.of(List.of(SigningKeys.generate().getPublic())), Clock.systemUTC());
        assertThatThrownBy(() -> stranger.promote(MODEL, "stable", "v2"))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.RELEASE_SIGNATURE));
    }

    @Test
    void rollbackNeedsAChannelThatServedAnEarlierRelease() {
        assertThatThrownBy(() -> mover.rollback(MODEL, "canary"))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.NOT_FOUND));
        mover.promote(MODEL, "canary", "v1");
        assertThatThrownBy(() -> mover.rollback(MODEL, "canary"))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("no earlier release");
    }
}

package org.yolofleet.device.sync;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ManifestSigner;
import org.yolofleet.core.release.ReleaseFixtures;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.ReleaseRejectedException;
import org.yolofleet.core.release.Sha256;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.device.DeviceFixture;
import org.yolofleet.device.install.AgentState;
import org.yolofleet.device.install.InstallDirectory;
import org.yolofleet.device.source.CountingReleaseSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyncTest {
    @TempDir
    Path directory;

    private DeviceFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new DeviceFixture(directory);
    }

    @Test
    void installsTheChannelsSignedReleaseAndSwitchesCurrentToIt() throws IOException {
        fixture.publish("2026.12.06-1", 1);

        SyncOutcome outcome = fixture.sync();

        assertThat(outcome.result()).isEqualTo(SyncOutcome.Result.INSTALLED);
        InstallDirectory install = fixture.install();
        assertThat(install.currentVersion()).contains("2026.12.06-1");
        Path current = install.currentLink();
        assertThat(Files.isSymbolicLink(current)).isTrue();
        assertThat(Files.readAllBytes(current.resolve(ReleaseFixtures.ONNX)))
                .isEqualTo(Files.readAllBytes(fixture.storeFile("2026.12.06-1", ReleaseFixtures.ONNX)));
        assertThat(current.resolve(ReleaseLayout.MANIFEST)).exists();
        assertThat(current.resolve(ReleaseLayout.SIGNATURE)).exists();
        // the cpu profile installs the FP32 ONNX only, not the Darknet weights
        assertThat(current.resolve("model.weights")).doesNotExist();
        AgentState state = install.stateFile().read();
        assertThat(state.installedVersion()).contains("2026.12.06-1");
        assertThat(state.channelEtag()).isPresent();
        assertThat(fixture.logText.toString()).contains("event=installed version=2026.12.06-1");
    }

    @Test
    void anUnchangedChannelCostsOneRequestAndWritesNothing() throws IOException {
        fixture.publish("2026.12.06-1", 1);
        fixture.sync();
        Map<Path, FileTime> before = snapshot(fixture.installDirectory);

        CountingReleaseSource source = fixture.countingFileSource();
        SyncOutcome outcome = fixture.sync(source);

        assertThat(outcome.result()).isEqualTo(SyncOutcome.Result.NOT_MODIFIED);
        assertThat(source.requests()).isEqualTo(1);
        assertThat(snapshot(fixture.installDirectory)).isEqualTo(before);
    }

    @Test
    void aNewerReleaseReplacesTheCurrentOneAndOldOnesArePruned() throws IOException {
        fixture.configure("keep-releases = 2");
        for (int sequence = 1; sequence <= 3; sequence++) {
            fixture.publish("v" + sequence, sequence);
            assertThat(fixture.sync().result()).isEqualTo(SyncOutcome.Result.INSTALLED);
        }
        InstallDirectory install = fixture.install();
        assertThat(install.currentVersion()).contains("v3");
        assertThat(install.releases()).extracting(release -> release.version()).containsExactly("v3", "v2");
        assertThat(install.root().resolve(InstallDirectory.STAGING)).isEmptyDirectory();
    }

    @Test
    void refusesAnOlderSequenceAndKeepsTheCurrentRelease() throws IOException {
        ReleaseManifest old = fixture.release("v1", 1);
        fixture.publish("v2", 2);
        fixture.sync();

        fixture.point(old);

        assertRefused(ErrorCode.RELEASE_NOT_NEWER, "v2");
        assertThat(fixture.install().stateFile().read().lastError().orElseThrow().message()).contains("sequence 1", "keeping v2");
    }

    @Test
    void refusesAReleaseSignedByAnUnknownKey() throws IOException {
        fixture.publish("v1", 1);
        fixture.sync();
        ManifestSigner stranger = new ManifestSigner(SigningKeys.generate().getPrivate());
        ReleaseManifest manifest = ReleaseFixtures.writeRelease(fixture.store, "v2", 2, stranger, 2000);
        fixture.point(manifest);

        assertRefused(ErrorCode.RELEASE_SIGNATURE, "v1");
        assertThat(fixture.install().stateFile().read().lastError().orElseThrow().message()).contains("not trusted");
    }

    @Test
    void refusesAManifestAlteredAfterSigning() throws IOException {
        fixture.publish("v1", 1);
        fixture.sync();
        ReleaseManifest manifest = fixture.publish("v2", 2);
        Path manifestFile = fixture.storeFile("v2", ReleaseLayout.MANIFEST);
        String altered = Files.readString(manifestFile).replace("\"forced\": false", "\"forced\": true");
        Files.writeString(manifestFile, altered);
        fixture.point(manifest);

        assertRefused(ErrorCode.RELEASE_SIGNATURE, "v1");
        assertThat(fixture.install().stateFile().read().lastError().orElseThrow().message()).contains("does not verify");
    }

    @Test
    void refusesATamperedArtifactAndDeletesTheBadBytes() throws IOException {
        fixture.publish("v1", 1);
        fixture.sync();
        fixture.publish("v2", 2);
        Path onnx = fixture.storeFile("v2", ReleaseFixtures.ONNX);
        Files.write(onnx, DeviceFixture.randomBytes((int) Files.size(onnx), 99));

        YoloFleetException refused = assertRefused(ErrorCode.RELEASE_TAMPERED, "v1");

        assertThat(((ReleaseRejectedException) refused).reason()).isEqualTo(ReleaseRejectedException.Reason.ARTIFACT_HASH);
        assertThat(fixture.install().stagingDirectory("v2").resolve(ReleaseFixtures.ONNX)).doesNotExist();
        assertThat(fixture.install().releaseDirectory("v2")).doesNotExist();
    }

    @Test
    void refusesAnArtifactOfAnotherSizeThanTheManifestListsBeforeDownloadingIt() throws IOException {
        fixture.publish("v1", 1);
        fixture.sync();
        fixture.publish("v2", 2);
        Path onnx = fixture.storeFile("v2", ReleaseFixtures.ONNX);
        Files.write(onnx, DeviceFixture.randomBytes((int) Files.size(onnx) + 10, 5));

        YoloFleetException refused = assertRefused(ErrorCode.RELEASE_TAMPERED, "v1");

        assertThat(((ReleaseRejectedException) refused).reason()).isEqualTo(ReleaseRejectedException.Reason.ARTIFACT_SIZE);
        assertThat(fixture.install().stagingDirectory("v2").resolve(ReleaseFixtures.ONNX)).doesNotExist();
    }

    @Test
    void resumesAPartialDownloadFromTheBytesAlreadyStaged() throws IOException {
        fixture.publish("v1", 1);
        byte[] onnx = Files.readAllBytes(fixture.storeFile("v1", ReleaseFixtures.ONNX));
        Path staged = fixture.install().stagingDirectory("v1").resolve(ReleaseFixtures.ONNX);
        Files.createDirectories(staged.getParent());
        Files.write(staged, java.util.Arrays.copyOf(onnx, 400));

        CountingReleaseSource source = fixture.countingFileSource();
        SyncOutcome outcome = fixture.sync(source);

        assertThat(outcome.result()).isEqualTo(SyncOutcome.Result.INSTALLED);
        assertThat(outcome.bytesDownloaded()).isEqualTo(onnx.length - 400);
        assertThat(Sha256.of(Files.readAllBytes(fixture.install().currentLink().resolve(ReleaseFixtures.ONNX)))).isEqualTo(Sha256.of(onnx));
    }

    @Test
    void aFailingHealthCheckSwitchesBackAndTheVersionIsNotRetried() throws IOException {
        fixture.publish("v1", 1);
        fixture.sync();
        fixture.configure("health-check.command = \"test \\\"$YOLOFLEET_VERSION\\\" != v2\"");
        fixture.publish("v2", 2);

        assertThatThrownBy(fixture::sync).isInstanceOfSatisfying(YoloFleetException.class,
                failure -> assertThat(failure.code()).isEqualTo(ErrorCode.HEALTH_CHECK_FAILED));

        InstallDirectory install = fixture.install();
        assertThat(install.currentVersion()).contains("v1");
        assertThat(install.releaseDirectory("v2")).doesNotExist();
        AgentState state = install.stateFile().read();
        assertThat(state.isBad("v2")).isTrue();
        assertThat(state.installedVersion()).contains("v1");
        assertThat(state.lastError().orElseThrow().code()).contains("HEALTH_CHECK_FAILED");

        CountingReleaseSource source = fixture.countingFileSource();
        assertThat(fixture.sync(source).result()).isEqualTo(SyncOutcome.Result.NOT_MODIFIED);
        assertThat(source.requests()).isEqualTo(1);

        // a newer sequence is tried as usual
        fixture.publish("v3", 3);
        assertThat(fixture.sync().result()).isEqualTo(SyncOutcome.Result.INSTALLED);
        assertThat(install.currentVersion()).contains("v3");
    }

    @Test
    void tooLittleDiskSpaceIsRefusedBeforeAnyArtifactByteIsRead() throws IOException {
        fixture.publish("v1", 1);
        CountingReleaseSource source = fixture.countingFileSource();

        assertThatThrownBy(() -> fixture.sync(source, dir -> 500)).isInstanceOfSatisfying(YoloFleetException.class,
                failure -> assertThat(failure.getMessage()).contains("[IO]", "bytes free"));

        assertThat(fixture.install().currentVersion()).isEmpty();
        assertThat(fixture.install().stagingDirectory("v1").resolve(ReleaseFixtures.ONNX)).doesNotExist();
        // the pointer, the manifest and its signature: no artifact request
        assertThat(source.requests()).isEqualTo(3);
    }

    @Test
    void aReleaseWithoutAnArtifactForTheProfileKeepsTheCurrentRelease() throws IOException {
        fixture.configure("profile = ncs");
        fixture.publish("v1", 1);

        assertThatThrownBy(fixture::sync).isInstanceOfSatisfying(YoloFleetException.class,
                failure -> assertThat(failure.getMessage()).contains("no artifact for profile ncs", "ncs-graph"));
        assertThat(fixture.install().currentVersion()).isEmpty();
    }

    @Test
    void aSwitchKilledDuringItsHealthCheckIsCheckedAgainByTheNextRun() throws IOException {
        fixture.publish("v1", 1);
        fixture.sync();
        fixture.publish("v2", 2);
        fixture.sync();
        // as if the agent was killed after switching to v2, before the health check said anything
        InstallDirectory install = fixture.install();
        install.stateFile().write(install.stateFile().read().withInstalled("v1", 1).withChannelEtag(java.util.Optional.empty())
                .withPending(java.util.Optional.of(new AgentState.PendingSwitch("v2", 2, java.util.Optional.of("v1")))));
        fixture.configure("health-check.command = \"test \\\"$YOLOFLEET_VERSION\\\" != v2\"");

        assertThatThrownBy(fixture::sync).isInstanceOfSatisfying(YoloFleetException.class,
                failure -> assertThat(failure.code()).isEqualTo(ErrorCode.HEALTH_CHECK_FAILED));

        assertThat(install.currentVersion()).contains("v1");
        AgentState state = install.stateFile().read();
        assertThat(state.pending()).isEmpty();
        assertThat(state.isBad("v2")).isTrue();
    }

    @Test
    void aReleaseInstalledByAKilledRunIsVerifiedAndReusedNotDownloadedAgain() throws IOException {
        fixture.publish("v1", 1);
        fixture.sync();
        fixture.publish("v2", 2);
        fixture.sync();
        // as if the agent was killed after promoting v2 to releases/, before switching
        InstallDirectory install = fixture.install();
        install.switchTo("v1");
        install.stateFile().write(install.stateFile().read().withInstalled("v1", 1).withChannelEtag(java.util.Optional.empty()));

        SyncOutcome outcome = fixture.sync();

        assertThat(outcome.result()).isEqualTo(SyncOutcome.Result.INSTALLED);
        assertThat(outcome.bytesDownloaded()).isZero();
        assertThat(install.currentVersion()).contains("v2");
        assertThat(fixture.logText.toString()).contains("event=reuse-installed version=v2");
    }

    private YoloFleetException assertRefused(ErrorCode code, String keptVersion) throws IOException {
        Path keptOnnx = fixture.install().currentLink().resolve(ReleaseFixtures.ONNX);
        byte[] keptBytes = Files.readAllBytes(keptOnnx);
        YoloFleetException[] thrown = new YoloFleetException[1];
        assertThatThrownBy(fixture::sync).isInstanceOfSatisfying(YoloFleetException.class, failure -> {
            assertThat(failure.code()).isEqualTo(code);
            thrown[0] = failure;
        });
        InstallDirectory install = fixture.install();
        assertThat(install.currentVersion()).contains(keptVersion);
        assertThat(Files.readAllBytes(keptOnnx)).isEqualTo(keptBytes);
        AgentState state = install.stateFile().read();
        assertThat(state.installedVersion()).contains(keptVersion);
        assertThat(state.lastError().orElseThrow().code()).contains(code.name());
        assertThat(fixture.logText.toString()).contains("event=refused code=" + code.name());
        return thrown[0];
    }

    /** Every path under the directory with its modification time. */
    private static Map<Path, FileTime> snapshot(Path root) throws IOException {
        Map<Path, FileTime> times = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                times.put(path, Files.getLastModifiedTime(path, java.nio.file.LinkOption.NOFOLLOW_LINKS));
            }
        }
        return times;
    }
}

package org.yolofleet.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.core.release.ChannelPointer;
import org.yolofleet.core.release.FileReleaseReader;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.testing.LocalSpark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LocalDemoTest {
    private static byte[] readAllBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    @Test
    void runsEveryStageWithTheLocalSettingsAndTrainsOnWhatAugmentWrote(@TempDir Path work) {
        LocalSpark.session();
        List<String> printed = new ArrayList<>();
        // the demo's pipeline at a test's size: 40 images, 96 x 96, one epoch
        LocalDemo.Result result = LocalDemo.run(work, LocalDemo.sampleOptions(3, 40, true), LocalDemo.Until.DEVICE, overrides -> {
            List<String> all = new ArrayList<>(overrides);
            // 33 injected faults are a larger share of 40 images than of the demo's 800; multi-scale sizes around 96
            all.addAll(List.of("model.input-width=96", "model.input-height=96", "augment.copies=1", "train.epochs=1",
                    "prepare.quarantine.max-rejected-fraction=0.5", "train.multi-scale.sizes=[64, 96]"));
            return ConfigLoader.load(ConfigLoader.local(), Optional.empty(), all);
        }, printed::add);

        assertThat(result.sample().faults()).isNotEmpty();
        assertThat(result.prepared().manifest().classes()).isEqualTo(result.sample().classes());
        assertThat(result.augmented().text()).contains("96x96");
        assertThat(result.trained()).hasValueSatisfying(trained -> {
            assertThat(trained.epochs()).hasSize(1);
            // conf/local.conf: one worker on one machine
            assertThat(trained.workers()).isEqualTo(1);
            // conf/local.conf: multi-scale rounds, the last epoch (here the only one) at the network's size
            assertThat(trained.text()).contains("multi-scale: each averaging round at a width drawn from [64, 96], the last epoch at 96 x 96");
            assertThat(trained.trainSamples()).isEqualTo(result.augmented().manifest().splits().get("train").samples());
        });
        assertThat(work.resolve("train/best.json")).exists();
        // the run ends with a release signed by the key made on first use, verified as a device would, on the channel
        assertThat(result.published()).hasValueSatisfying(published -> {
            TrustedKeys trusted = TrustedKeys.of(List.of(SigningKeys.readPublicKey(LocalDemo.publicKey(work))));
            VerifiedRelease verified = new ReleaseVerifier(trusted).verify(new FileReleaseReader(LocalDemo.releases(work)),
                    published.manifest().model(), published.manifest().version());
            assertThat(verified.manifest()).isEqualTo(published.manifest());
            assertThat(published.manifest().version()).startsWith("local-");
            ChannelPointer pointer = ChannelPointer.fromJson(readAllBytes(LocalDemo.releases(work).resolve(ReleaseLayout.channelPointer(
                    published.manifest().model(), published.channel()))));
            assertThat(pointer.version()).isEqualTo(published.manifest().version());
        });
        // and with a Raspberry Pi agent that installed that release from the store and ran it on an image
        assertThat(result.device()).hasValueSatisfying(device -> {
            assertThat(device.syncLog()).contains(result.published().orElseThrow().manifest().version());
            assertThat(device.directory().resolve("install/current/manifest.json")).isRegularFile();
            assertThat(device.detectExit()).as(device.detectSummary()).isZero();
            assertThat(device.detectSummary()).contains("ms/image");
        });
        assertThat(printed).hasSize(6);
        assertThat(printed.get(0)).startsWith("generate-sample: 40 images");
    }
}

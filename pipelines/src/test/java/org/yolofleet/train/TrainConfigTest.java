package org.yolofleet.train;

import org.junit.jupiter.api.Test;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.core.darknet.DarknetCfgReader;
import org.yolofleet.core.darknet.DarknetCfgWriter;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainConfigTest {
    private static final ModelSpec SPEC = TinyYoloV2.spec(3, TinyYoloV2.VOC_ANCHORS, 96, 96, ResizeMode.LETTERBOX);

    @Test
    void theDefaultRegionSettingsAreTinyYoloVocs() {
        TrainConfig config = TrainConfig.from(TrainFixtures.config("file:/in", "file:/out", Map.of()));
        assertThat(config.region().applyTo(SPEC)).isEqualTo(SPEC);
    }

    @Test
    void regionSettingsReachTheSpecAndItsDarknetCfg() {
        TrainConfig config = TrainConfig.from(TrainFixtures.config("file:/in", "file:/out",
                Map.of("region.class-scale", 3, "region.object-scale", 4, "region.noobject-scale", 0.5, "region.coord-scale", 2,
                        "region.rescore", false)));
        ModelSpec trained = config.region().applyTo(SPEC);
        RegionLayer region = DarknetCfgReader.parse(DarknetCfgWriter.write(trained), "written").region();
        assertThat(region.classScale()).isEqualTo(3);
        assertThat(region.objectScale()).isEqualTo(4);
        assertThat(region.noObjectScale()).isEqualTo(0.5);
        assertThat(region.coordinateScale()).isEqualTo(2);
        assertThat(region.rescore()).isFalse();
        assertThat(region.anchors()).isEqualTo(SPEC.region().anchors());
        assertThat(trained.layers().size()).isEqualTo(SPEC.layers().size());
    }

    @Test
    void theCosinesStartIsReadAndOutsideZeroToOneRefusedNamingTheKey() {
        TrainConfig config = TrainConfig.from(TrainFixtures.config("file:/in", "file:/out",
                Map.of("optimizer.policy", "cosine", "optimizer.cosine-from", 0.6)));
        assertThat(config.optimisation().schedule().cosineFrom()).isEqualTo(0.6);
        assertThat(config.optimisation().schedule().policy()).isEqualTo(LearningRateSchedule.Policy.COSINE);
        assertThat(TrainConfig.from(TrainFixtures.config("file:/in", "file:/out", Map.of())).optimisation().schedule().cosineFrom()).isZero();
        assertThatThrownBy(() -> TrainConfig.from(TrainFixtures.config("file:/in", "file:/out", Map.of("optimizer.cosine-from", 1))))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("yolofleet.train.optimizer.cosine-from")
                .hasMessageContaining("[0.0, 1.0)");
    }

    @Test
    void theValSizeAboveWhichMapIsDistributedIsReadAndANegativeOneRefusedNamingTheKey() {
        assertThat(TrainConfig.from(TrainFixtures.config("file:/in", "file:/out", Map.of("validation.distributed-above", 50)))
                .validation().distributedAbove()).isEqualTo(50);
        assertThat(TrainConfig.from(TrainFixtures.config("file:/in", "file:/out", Map.of())).validation().distributedAbove())
                .as("defaults.conf states it").isPositive();
        assertThatThrownBy(() -> TrainConfig.from(TrainFixtures.config("file:/in", "file:/out", Map.of("validation.distributed-above", -1))))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("yolofleet.train.validation.distributed-above")
                .hasMessageContaining("[0, 2147483647]");
        assertThatThrownBy(() -> TrainConfig.from(TrainFixtures.config("file:/in", "file:/out", Map.of("validation.distributed-above", "many"))))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("yolofleet.train.validation.distributed-above");
    }

    @Test
    void aNegativeScaleIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> TrainConfig.from(TrainFixtures.config("file:/in", "file:/out", Map.of("region.class-scale", -1))))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("yolofleet.train.region.class-scale");
    }

    @Test
    void aRunIdOtherThanOnePlainPathSegmentIsRefusedNamingTheKeyAndTheRule() {
        assertThat(TrainConfig.from(TrainFixtures.config("file:/in", "", Map.of("runs-root", "file:/runs", "run-id", "night-1"))).runId())
                .isEqualTo("night-1");
        for (String invalid : new String[] {"../elsewhere", "a/b", ".hidden", "a b"}) {
            assertThatThrownBy(() -> TrainConfig.from(TrainFixtures.config("file:/in", "", Map.of("runs-root", "file:/runs", "run-id", invalid))))
                    .as(invalid)
                    .isInstanceOf(YoloFleetException.class)
                    .hasMessageContaining("yolofleet.train.run-id = " + invalid)
                    .hasMessageContaining("letters, digits, '-', '_' and '.'");
        }
    }

    @Test
    void aRunNeedsARunsRootOrAnOutputAndNotARunIdBesideAnOutput() {
        assertThatThrownBy(() -> TrainConfig.from(TrainFixtures.config("file:/in", "", Map.of())))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("yolofleet.train.output and yolofleet.train.runs-root are both empty");
        assertThatThrownBy(() -> TrainConfig.from(TrainFixtures.config("file:/in", "file:/out", Map.of("runs-root", "file:/runs", "run-id", "a"))))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("yolofleet.train.run-id = a names a run under yolofleet.train.runs-root")
                .hasMessageContaining("set one of them");
    }

    @Test
    void resumingUnderTheRunsRootNeedsTheRunId() {
        assertThatThrownBy(() -> TrainConfig.from(TrainFixtures.config("file:/in", "", Map.of("runs-root", "file:/runs", "resume", true))))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("yolofleet.train.resume = true needs the run to continue")
                .hasMessageContaining("yolofleet.train.run-id");
        assertThat(TrainConfig.from(TrainFixtures.config("file:/in", "", Map.of("runs-root", "file:/runs", "resume", true, "run-id", "a"))).resume())
                .isTrue();
    }

    @Test
    void aWarmStartFromThePreviousRunNeedsARunsRootButNoWeights() {
        TrainConfig config = TrainConfig.from(TrainFixtures.config("file:/in", "", Map.of("runs-root", "file:/runs", "init.mode", "previous",
                "init.if-no-previous", "scratch")));
        assertThat(config.initialisation().mode()).isEqualTo(TrainConfig.InitialisationMode.PREVIOUS);
        assertThat(config.initialisation().ifNoPrevious()).isEqualTo(TrainConfig.IfNoPrevious.SCRATCH);
        assertThatThrownBy(() -> TrainConfig.from(TrainFixtures.config("file:/in", "file:/out", Map.of("init.mode", "previous"))))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("yolofleet.train.init.mode = previous")
                .hasMessageContaining("yolofleet.train.runs-root, which is empty");
    }

    @Test
    void aWarmStartFromTheReleasedModelTakesTheStoreModelChannelAndSigningKeyOfPublishUnlessSet() {
        TrainConfig config = TrainConfig.from(TrainFixtures.config("file:/in", "", Map.of("runs-root", "file:/runs", "init.mode", "released")));
        assertThat(config.initialisation().mode()).isEqualTo(TrainConfig.InitialisationMode.RELEASED);
        assertThat(config.initialisation().released()).isEqualTo(new TrainConfig.Released("releases", "tiny-yolo", "nightly", List.of(), "",
                "YOLOFLEET_SIGNING_KEY"));

        TrainConfig explicit = TrainConfig.from(TrainFixtures.config("file:/in", "", Map.of("runs-root", "file:/runs", "init.mode", "released",
                "init.released.store", "s3a://fleet/yolofleet", "init.released.model", "cells", "init.released.channel", "stable",
                "init.released.trusted-keys", List.of("/etc/yolofleet/publisher.pem"))));
        assertThat(explicit.initialisation().released()).isEqualTo(new TrainConfig.Released("s3a://fleet/yolofleet", "cells", "stable",
                List.of("/etc/yolofleet/publisher.pem"), "", "YOLOFLEET_SIGNING_KEY"));
        assertThat(TrainConfig.from(TrainFixtures.config("file:/in", "", Map.of("runs-root", "file:/runs", "init.mode", "previous")))
                .initialisation().released()).isEqualTo(TrainConfig.Released.NONE);
    }

    @Test
    void aWarmStartFromTheReleasedModelIsRefusedWithoutRunsRootValidNamesOrAKeyToVerifyWith() {
        assertThatThrownBy(() -> TrainConfig.from(TrainFixtures.config("file:/in", "file:/out", Map.of("init.mode", "released"))))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("yolofleet.train.init.mode = released")
                .hasMessageContaining("yolofleet.train.runs-root, which is empty");
        assertThatThrownBy(() -> TrainConfig.from(TrainFixtures.config("file:/in", "", Map.of("runs-root", "file:/runs", "init.mode", "released",
                "init.released.channel", "../stable"))))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("yolofleet.train.init.released.channel = \"../stable\"");
        assertThatThrownBy(() -> TrainConfig.from(TrainFixtures.config("file:/in", "", Map.of("runs-root", "file:/runs", "init.mode", "released"))
                .withValue("yolofleet.publish.signing.private-key-env", com.typesafe.config.ConfigValueFactory.fromAnyRef(""))))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("yolofleet.train.init.released.trusted-keys is empty")
                .hasMessageContaining("yolofleet.publish.signing.private-key");
    }

    @Test
    void theShippedEmrConfigurationTrainsANewRunEveryNightFromTheReleasedModel() {
        TrainConfig config = TrainConfig.from(ConfigLoader.load(Optional.of(new File("../conf/emr.conf")), List.of()));
        assertThat(config.output()).isEmpty();
        assertThat(config.runsRoot()).isEqualTo("s3://my-bucket/yolofleet/runs");
        assertThat(config.runId()).isEmpty();
        assertThat(config.resume()).isFalse();
        assertThat(config.initialisation().mode()).isEqualTo(TrainConfig.InitialisationMode.RELEASED);
        assertThat(config.initialisation().ifNoPrevious()).isEqualTo(TrainConfig.IfNoPrevious.SCRATCH);
        // the channel publish moves, in the store publish writes to: the nightly configuration names them once
        assertThat(config.initialisation().released().store()).isEqualTo("s3://my-bucket/yolofleet");
        assertThat(config.initialisation().released().channel()).isEqualTo("nightly");
    }
}

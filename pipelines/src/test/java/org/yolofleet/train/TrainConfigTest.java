package org.yolofleet.train;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.darknet.DarknetCfgReader;
import org.yolofleet.core.darknet.DarknetCfgWriter;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;

import java.util.Map;

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
    void aNegativeScaleIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> TrainConfig.from(TrainFixtures.config("file:/in", "file:/out", Map.of("region.class-scale", -1))))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("yolofleet.train.region.class-scale");
    }
}

package org.yolofleet.augment;

import org.junit.jupiter.api.Test;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ResizeMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AugmentConfigTest {
    @Test
    void theDefaultsAreDarknetsYoloV2TinyVocSettings() {
        AugmentConfig config = load();

        assertThat(config.recipe().augmentation()).isEqualTo(AugmentationSettings.DARKNET_DEFAULTS);
        assertThat(config.recipe().input().width()).isEqualTo(416);
        assertThat(config.recipe().input().resizeMode()).isEqualTo(ResizeMode.LETTERBOX);
        assertThat(config.recipe().copies()).isEqualTo(4);
        assertThat(config.recipe().includeOriginal()).isTrue();
        assertThat(config.recipe().boxes()).isEqualTo(new BoxRules(0.1, 2));
        assertThat(config.imagesPerShard()).isEqualTo(1000);
        assertThat(config.overwrite()).isFalse();
    }

    @Test
    void aWrongValueIsNamedWithItsKeyAndWhatIsAllowed() {
        assertThatThrownBy(() -> load("augment.jitter=0.7"))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("yolofleet.augment.jitter = 0.7").hasMessageContaining("allowed [0.0, 0.5)");
        assertThatThrownBy(() -> load("augment.copies=0")).hasMessageContaining("yolofleet.augment.copies = 0");
        assertThatThrownBy(() -> load("augment.boxes.min-visible-fraction=2")).hasMessageContaining("min-visible-fraction");
        assertThatThrownBy(() -> load("augment.output=\"file:/data/prepared/\"")).hasMessageContaining("is the input");
    }

    @Test
    void inputAndOutputAreRequired() {
        assertThatThrownBy(() -> AugmentConfig.from(ConfigLoader.load(Optional.empty(), List.of())))
                .hasMessageContaining("yolofleet.augment.input is empty");
    }

    private static AugmentConfig load(String... overrides) {
        List<String> all = new ArrayList<>(List.of("augment.input=\"file:/data/prepared\"", "augment.output=\"file:/data/shards\""));
        all.addAll(List.of(overrides));
        return AugmentConfig.from(ConfigLoader.load(Optional.empty(), all));
    }
}

package org.yolofleet.prelabel;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrelabelConfigTest {
    @Test
    void outputDefaultsToAnnotationsBesideTheImages() {
        assertThat(PrelabelConfig.of("s3a://photos/site-7/JPEGImages/", "s3a://models/v3", Optional.empty(), 0.25, 0.45, false).output())
                .isEqualTo("s3a://photos/site-7/Annotations");
        assertThat(PrelabelConfig.defaultOutput("/data/new/JPEGImages")).isEqualTo("/data/new/Annotations");
        assertThat(PrelabelConfig.of("/x/JPEGImages", "m.onnx", Optional.of("/y/Annotations"), 0.25, 0.45, true).output())
                .isEqualTo("/y/Annotations");
    }

    @Test
    void invalidValuesNameTheSettingAndTheRemedy() {
        assertThatThrownBy(() -> PrelabelConfig.of("/x/JPEGImages", "m.onnx", Optional.empty(), 1.5, 0.45, false))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("threshold 1.5");
        assertThatThrownBy(() -> PrelabelConfig.of("/x/JPEGImages", " ", Optional.empty(), 0.2, 0.45, false))
                .hasMessageContaining("model is missing");
        assertThatThrownBy(() -> PrelabelConfig.of("s3a://bucket", "m.onnx", Optional.empty(), 0.2, 0.45, false))
                .hasMessageContaining("--output");
    }
}

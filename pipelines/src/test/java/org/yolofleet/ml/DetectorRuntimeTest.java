package org.yolofleet.ml;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectorRuntimeTest {
    @Test
    void paramValuesNameTheRuntimesAndAnUnknownOneIsRefusedWithTheKnownOnes() {
        assertThat(DetectorRuntime.of("onnxruntime")).isEqualTo(DetectorRuntime.ONNX_RUNTIME);
        assertThat(DetectorRuntime.of("DL4J")).isEqualTo(DetectorRuntime.DL4J);
        assertThatThrownBy(() -> DetectorRuntime.of("tensorflow"))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("runtime 'tensorflow' is not one of onnxruntime, dl4j");
    }
}

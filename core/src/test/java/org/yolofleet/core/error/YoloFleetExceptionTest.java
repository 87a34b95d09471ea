package org.yolofleet.core.error;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YoloFleetExceptionTest {
    @Test
    void messageNamesTheErrorCode() {
        YoloFleetException exception = new YoloFleetException(ErrorCode.CONFIG, "prepare.split.valFraction: 1.5 is not in [0, 1)");
        assertThat(exception.code()).isEqualTo(ErrorCode.CONFIG);
        assertThat(exception.getMessage()).isEqualTo("[CONFIG] prepare.split.valFraction: 1.5 is not in [0, 1)");
    }

    @Test
    void codeIsRequired() {
        assertThatThrownBy(() -> new YoloFleetException(null, "x")).isInstanceOf(NullPointerException.class);
    }
}

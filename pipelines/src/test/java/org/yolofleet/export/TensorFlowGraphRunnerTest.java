package org.yolofleet.export;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TensorFlowGraphRunnerTest {
    @Test
    void nhwcAndNchwAreInverseTranspositions() {
        float[] nchw = new float[2 * 3 * 4];
        for (int index = 0; index < nchw.length; index++) {
            nchw[index] = index;
        }
        float[] nhwc = TensorFlowGraphRunner.toNhwc(nchw, 2, 3, 4);
        // channel 1, y 2, x 3 is the last NCHW value and the last NHWC value; channel 1, y 0, x 0 is NHWC's second
        assertThat(nhwc[nhwc.length - 1]).isEqualTo(23);
        assertThat(nhwc[1]).isEqualTo(12);
        assertThat(TensorFlowGraphRunner.toNchw(nhwc, 3, 4, 2)).containsExactly(nchw);
    }

    @Test
    void refusesBytesThatAreNoGraph() {
        assertThatThrownBy(() -> TensorFlowGraphRunner.open(new byte[] {(byte) 0xff, 1, 2, 3}, "junk.pb"))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.EXPORT_MISMATCH))
                .hasMessageContaining("junk.pb");
    }

    @Test
    void refusesAGraphWithoutInputOrOutput() {
        assertThatThrownBy(() -> TensorFlowGraphRunner.open(new byte[0], "empty.pb"))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.EXPORT_MISMATCH))
                .hasMessageContaining("empty.pb lacks the node 'input'");
    }
}

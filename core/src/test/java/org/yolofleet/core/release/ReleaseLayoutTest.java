package org.yolofleet.core.release;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleaseLayoutTest {
    @Test
    void laysOutReleasesAndChannels() {
        assertThat(ReleaseLayout.releaseDirectory("voc-tiny", "2026.12.06-1")).isEqualTo("releases/voc-tiny/2026.12.06-1");
        assertThat(ReleaseLayout.manifest("voc-tiny", "v3")).isEqualTo("releases/voc-tiny/v3/manifest.json");
        assertThat(ReleaseLayout.signature("voc-tiny", "v3")).isEqualTo("releases/voc-tiny/v3/manifest.sig");
        assertThat(ReleaseLayout.artifact("voc-tiny", "v3", "model_fp16.onnx")).isEqualTo("releases/voc-tiny/v3/model_fp16.onnx");
        assertThat(ReleaseLayout.channelPointer("voc-tiny", "stable")).isEqualTo("channels/voc-tiny/stable.json");
    }

    @Test
    void refusesNamesThatAreNoSafePathSegment() {
        for (String bad : new String[] {"..", ".", "", "a/b", "a\\b", "v 1", "ü", "stable\n"}) {
            assertThatThrownBy(() -> ReleaseLayout.channelPointer("voc-tiny", bad))
                    .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                    .hasMessageContaining("channel '" + bad + "' cannot name a release path");
        }
        assertThatThrownBy(() -> ReleaseLayout.manifest(null, "v1")).hasMessageContaining("model 'null'");
        assertThatThrownBy(() -> ReleaseLayout.artifact("m", "v", "manifest.sig")).hasMessageContaining("reserved");
        assertThat(ReleaseLayout.isSafeSegment("..a")).isTrue();
    }
}

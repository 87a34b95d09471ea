package org.yolofleet.detect;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.model.ResizeFilter;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectorModelTest {
    // 2 anchors, 3 classes: 16 channels of a 4 x 3 grid
    private static final DetectorModel MODEL = new DetectorModel(InferenceRuntime.DL4J, "test", List.of("WBC", "RBC", "Platelets"),
            TinyYoloV2.VOC_ANCHORS.subList(0, 2), 128, 96, ResizeMode.LETTERBOX, ResizeFilter.AREA, 4, 3);

    @Test
    void anOutputIndexIsNamedByAnchorFieldAndCell() {
        assertThat(MODEL.outputLength()).isEqualTo(16 * 12);
        assertThat(MODEL.describeOutputIndex(0)).isEqualTo("anchor 0 tx at cell (x 0, y 0)");
        // channel 4 (objectness of anchor 0), cell 6 = (x 2, y 1)
        assertThat(MODEL.describeOutputIndex(4 * 12 + 6)).isEqualTo("anchor 0 objectness at cell (x 2, y 1)");
        // channel 8 + 7 = anchor 1's third class, the last cell
        assertThat(MODEL.describeOutputIndex(15 * 12 + 11)).isEqualTo("anchor 1 class Platelets at cell (x 3, y 2)");
        assertThatThrownBy(() -> MODEL.describeOutputIndex(16 * 12)).isInstanceOf(IllegalArgumentException.class);
    }
}

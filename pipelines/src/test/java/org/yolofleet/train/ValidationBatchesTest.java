package org.yolofleet.train;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidationBatchesTest {
    @Test
    void theVoc2007TestSetAt416PixelsIsStreamedInBatchesOfBoundedSize() {
        ValidationBatches plan = ValidationBatches.of(4_952, 3, 416, 416, 16);

        // one array of the whole split would need 2,570,919,936 floats: past what an int counts (and a Java array holds)
        assertThat(plan.wholeSplitFloats()).isEqualTo(2_570_919_936L).isGreaterThan(Integer.MAX_VALUE);
        assertThat(4_952 * 3 * 416 * 416).as("the int arithmetic of before wraps around").isNegative();
        assertThat(plan.floatsPerBatch()).isEqualTo(16 * 519_168);
        assertThat(plan.bytesPerBatch()).isEqualTo(33_226_752L);
        assertThat(plan.batches()).isEqualTo(310);
        assertThat(plan.imagesIn(0)).isEqualTo(16);
        assertThat(plan.imagesIn(309)).isEqualTo(8);
        long images = 0;
        for (long batch = 0; batch < plan.batches(); batch++) {
            images += plan.imagesIn(batch);
        }
        assertThat(images).isEqualTo(4_952);
    }

    @Test
    void smallAndEmptySplits() {
        assertThat(ValidationBatches.of(0, 3, 96, 96, 16).batches()).isZero();
        ValidationBatches one = ValidationBatches.of(1, 3, 96, 96, 16);
        assertThat(one.batches()).isEqualTo(1);
        assertThat(one.imagesIn(0)).isEqualTo(1);
        assertThatThrownBy(() -> one.imagesIn(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(ValidationBatches.of(32, 3, 96, 96, 16).imagesIn(1)).isEqualTo(16);
    }

    @Test
    void aBatchThatNoArrayHoldsIsRefusedNamingTheKey() {
        ValidationBatches huge = ValidationBatches.of(10, 3, 4096, 4096, 1024);
        assertThatThrownBy(huge::floatsPerBatch)
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("yolofleet.train.validation.batch-size = 1024");
    }
}

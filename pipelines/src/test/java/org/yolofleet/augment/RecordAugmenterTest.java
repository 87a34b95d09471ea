package org.yolofleet.augment;

import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.image.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.stage.Split;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class RecordAugmenterTest {
    private final RecordAugmenter augmenter = new RecordAugmenter(AugmentRecipeTest.RECIPE);

    @Test
    void aTrainingImageBecomesLabelledCopiesAtNetworkSize() {
        PreparedRecord record = AugmentFixtures.record("site/image_0001", Split.TRAIN, 160, 120, 3, 1);

        RecordOutcome.Augmented outcome = (RecordOutcome.Augmented) augmenter.augment(record);

        assertThat(outcome.sourceBoxes()).isEqualTo(3);
        assertThat(outcome.samples()).hasSize(4).extracting(AugmentedSample::copy).containsExactly(0, 1, 2, 3);
        for (AugmentedSample sample : outcome.samples()) {
            RgbImage image = ImageDecoder.STORED_IMAGES.decode(sample.jpeg()).image();
            assertThat(image.width()).isEqualTo(96);
            assertThat(image.height()).isEqualTo(96);
            SampleLabel label = SampleLabel.fromJson(sample.label().toJson());
            assertThat(label).isEqualTo(sample.label());
            assertThat(label.boxes().size() + label.droppedBoxes()).isEqualTo(3);
            assertThat(label.boxes()).allSatisfy(box -> {
                assertThat(box.xmin()).isBetween(0.0, box.xmax());
                assertThat(box.ymin()).isBetween(0.0, box.ymax());
                assertThat(box.xmax()).isLessThanOrEqualTo(96.0);
                assertThat(box.ymax()).isLessThanOrEqualTo(96.0);
            });
        }
        SampleLabel original = outcome.samples().get(0).label();
        assertThat(original.augmentation().crop()).containsExactly(0.0, 0.0, 160.0, 120.0);
        assertThat(original.boxes()).hasSize(3);
        assertThat(original.boxes().get(1).difficult()).isTrue();
    }

    @Test
    void theSameRecordGivesTheSameBytesEveryTime() {
        PreparedRecord record = AugmentFixtures.record("site/image_0002", Split.TRAIN, 120, 160, 2, 2);

        RecordOutcome.Augmented first = (RecordOutcome.Augmented) augmenter.augment(record);
        RecordOutcome.Augmented second = (RecordOutcome.Augmented) new RecordAugmenter(AugmentRecipeTest.RECIPE).augment(record);

        for (int copy = 0; copy < 4; copy++) {
            assertThat(second.samples().get(copy).jpeg()).isEqualTo(first.samples().get(copy).jpeg());
            assertThat(second.samples().get(copy).label().toJson()).isEqualTo(first.samples().get(copy).label().toJson());
        }
    }

    @Test
    void aValidationImageIsOnlyResized() {
        PreparedRecord record = AugmentFixtures.record("site/image_0003", Split.VAL, 200, 100, 2, 3);

        RecordOutcome.Augmented outcome = (RecordOutcome.Augmented) augmenter.augment(record);

        assertThat(outcome.samples()).hasSize(1);
        SampleLabel label = outcome.samples().get(0).label();
        assertThat(label.split()).isEqualTo("val");
        assertThat(label.augmentation()).isEqualTo(SampleLabel.Augmentation.of(AugmentationParameters.identity(200, 100)));
    }

    @Test
    void anImageThatNoLongerDecodesIsQuarantined() {
        PreparedRecord good = AugmentFixtures.record("site/image_0004", Split.TRAIN, 160, 120, 1, 4);
        PreparedRecord garbage = new PreparedRecord("site/garbage", Split.TRAIN, 160, 120, new byte[] {1, 2, 3, 4}, good.boxes());
        PreparedRecord truncated = new PreparedRecord("site/truncated", Split.TRAIN, 160, 120,
                Arrays.copyOf(good.image(), good.image().length / 2), good.boxes());

        assertThat(augmenter.augment(garbage)).isInstanceOfSatisfying(RecordOutcome.Quarantined.class, quarantined -> {
            assertThat(quarantined.reason()).isEqualTo(QuarantineReason.IMAGE_UNDECODABLE);
            assertThat(quarantined.detail()).isNotBlank();
        });
        // the same reasons prepare gives: one decoder, one set of reasons
        assertThat(augmenter.augment(truncated)).isInstanceOfSatisfying(RecordOutcome.Quarantined.class,
                quarantined -> assertThat(quarantined.reason()).isEqualTo(QuarantineReason.IMAGE_TRUNCATED));
    }

    @Test
    void anImageOfAnotherSizeThanRecordedIsQuarantined() {
        PreparedRecord good = AugmentFixtures.record("site/image_0005", Split.TRAIN, 160, 120, 1, 5);
        PreparedRecord resized = new PreparedRecord(good.id(), Split.TRAIN, 320, 240, good.image(), good.boxes());

        assertThat(augmenter.augment(resized)).isInstanceOfSatisfying(RecordOutcome.Quarantined.class, quarantined -> {
            assertThat(quarantined.reason()).isEqualTo(QuarantineReason.IMAGE_SIZE_CHANGED);
            assertThat(quarantined.detail()).contains("160x120").contains("320x240");
        });
    }
}

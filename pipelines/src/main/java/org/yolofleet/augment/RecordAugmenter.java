package org.yolofleet.augment;

import org.yolofleet.core.quarantine.RecordRejectedException;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.core.image.RgbImage;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The per-record work of the augment stage, without Spark: decode the prepared image once, then make each of its
 * copies (parameters drawn from the copy's own seeded stream), encode them as JPEG and label them. A record whose
 * image no longer decodes, or decodes to another size than recorded, is quarantined instead.
 */
public final class RecordAugmenter implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    static final String PREVIEW_PURPOSE = "preview";

    private final AugmentRecipe recipe;
    private final ImageAugmenter augmenter;

    public RecordAugmenter(AugmentRecipe recipe) {
        this.recipe = requireNonNull(recipe, "recipe");
        this.augmenter = recipe.augmenter();
    }

    public AugmentRecipe recipe() {
        return recipe;
    }

    public RecordOutcome augment(PreparedRecord record) {
        RgbImage image;
        try {
            image = ImageDecoder.STORED_IMAGES.decode(record.image()).image();
        } catch (RecordRejectedException corrupt) {
            return new RecordOutcome.Quarantined(record.id(), record.split(), corrupt.reason(), corrupt.detail());
        }
        if (image.width() != record.width() || image.height() != record.height()) {
            return new RecordOutcome.Quarantined(record.id(), record.split(), QuarantineReason.IMAGE_SIZE_CHANGED, "the image decodes to "
                    + image.width() + "x" + image.height() + " but the dataset records " + record.width() + "x" + record.height());
        }
        int copies = recipe.copiesOf(record.split());
        List<AugmentedSample> samples = new ArrayList<>(copies);
        for (int copy = 0; copy < copies; copy++) {
            AugmentationParameters parameters = recipe.parameters(record.id(), record.split(), copy, image.width(), image.height());
            ImageAugmenter.AugmentedImage augmented = augmenter.apply(image, record.boxes(), parameters);
            byte[] jpeg = JpegCodec.encode(augmented.image(), recipe.jpegQuality());
            SampleLabel label = SampleLabel.of(record, copy, augmented, parameters, recipe.input().resizeMode());
            samples.add(new AugmentedSample(record.id(), record.split(), copy, jpeg, label,
                    SampleRandom.seedOf(recipe.seed(), record.id(), copy, PREVIEW_PURPOSE)));
        }
        return new RecordOutcome.Augmented(record.id(), record.split(), record.boxes().size(), samples);
    }
}

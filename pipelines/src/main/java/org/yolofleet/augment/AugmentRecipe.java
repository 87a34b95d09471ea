package org.yolofleet.augment;

import org.yolofleet.config.ModelInput;
import org.yolofleet.stage.Split;

import java.io.Serial;
import java.io.Serializable;
import java.util.SplittableRandom;

import static java.util.Objects.requireNonNull;

/**
 * Everything that decides the bytes of the output samples: the canvas, the augmentation strengths, the box rules,
 * how many copies, the seed and the JPEG quality. Two runs with equal recipes over the same dataset write identical
 * shards.
 *
 * @param copies          augmented copies per training image (validation images always get one, resized only)
 * @param includeOriginal copy 0 of every training image is the plain resized original
 * @param seed            mixed with the image id and copy index into each copy's random stream
 * @param jpegQuality     quality (1-100) of the JPEGs in the shards
 */
public record AugmentRecipe(
        ModelInput input,
        AugmentationSettings augmentation,
        BoxRules boxes,
        int copies,
        boolean includeOriginal,
        long seed,
        int jpegQuality) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public AugmentRecipe {
        requireNonNull(input, "input");
        requireNonNull(augmentation, "augmentation");
        requireNonNull(boxes, "boxes");
        if (copies < 1) {
            throw new IllegalArgumentException("copies must be at least 1, got " + copies);
        }
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality must be in [1, 100], got " + jpegQuality);
        }
    }

    /** How many samples an image of this split becomes. */
    public int copiesOf(Split split) {
        return switch (split) {
            case TRAIN -> copies;
            case VAL -> 1;
        };
    }

    /** The parameters of one copy: drawn from the copy's own random stream, or the identity where no augmentation applies. */
    public AugmentationParameters parameters(String imageId, Split split, int copy, int imageWidth, int imageHeight) {
        if (copy < 0 || copy >= copiesOf(split)) {
            throw new IllegalArgumentException("copy " + copy + " is out of range for " + split + ": 0 to " + (copiesOf(split) - 1));
        }
        boolean augmented = switch (split) {
            case TRAIN -> !(includeOriginal && copy == 0);
            case VAL -> false;
        };
        if (!augmented) {
            return AugmentationParameters.identity(imageWidth, imageHeight);
        }
        SplittableRandom random = SampleRandom.of(seed, imageId, copy);
        return AugmentationParameters.draw(augmentation, imageWidth, imageHeight, random);
    }

    public ImageAugmenter augmenter() {
        return new ImageAugmenter(input.width(), input.height(), input.resizeMode(), boxes);
    }
}

package org.yolofleet.augment;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.stage.Split;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Numbers the samples of the images that were augmented: images sorted by (split, id), each image's copies
 * consecutive. The ordinal of a sample is {@code firstOrdinal(image) + copy}; the {@link ShardLayout} says which shard
 * it lands in.
 *
 * @param firstOrdinals the ordinal of copy 0 of each image id
 */
public record ShardPlan(ShardLayout layout, Map<String, Long> firstOrdinals) {
    public ShardPlan {
        requireNonNull(layout, "layout");
        firstOrdinals = Map.copyOf(firstOrdinals);
    }

    /** An augmented image: its id and split. */
    public record Image(String id, Split split) {
        public Image {
            requireNonNull(id, "id");
            requireNonNull(split, "split");
        }
    }

    public static ShardPlan of(List<Image> images, AugmentRecipe recipe, int imagesPerShard) {
        List<Image> sorted = new ArrayList<>(images);
        sorted.sort(Comparator.comparing(Image::split).thenComparing(Image::id));
        Map<String, Long> firstOrdinals = new HashMap<>();
        Map<Split, Long> samples = new EnumMap<>(Split.class);
        long ordinal = 0;
        for (Image image : sorted) {
            if (firstOrdinals.putIfAbsent(image.id(), ordinal) != null) {
                throw new YoloFleetException(ErrorCode.BAD_DATASET, "the prepared dataset holds the id '" + image.id()
                        + "' twice; prepare never writes that, so the dataset was changed by hand");
            }
            int copies = recipe.copiesOf(image.split());
            samples.merge(image.split(), (long) copies, Long::sum);
            ordinal += copies;
        }
        ShardLayout layout = new ShardLayout(samples.getOrDefault(Split.TRAIN, 0L), samples.getOrDefault(Split.VAL, 0L), imagesPerShard);
        return new ShardPlan(layout, firstOrdinals);
    }

    public long ordinal(String id, int copy) {
        Long first = firstOrdinals.get(id);
        if (first == null) {
            throw new IllegalArgumentException("no image with id " + id + " in the plan");
        }
        return first + copy;
    }
}

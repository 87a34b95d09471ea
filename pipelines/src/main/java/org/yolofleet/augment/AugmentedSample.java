package org.yolofleet.augment;

import org.yolofleet.stage.Split;

import static java.util.Objects.requireNonNull;

/**
 * One output sample: the JPEG at network size and its label.
 *
 * @param previewRank a value fixed by (seed, id, copy); the preview shows the samples with the smallest ranks
 */
public record AugmentedSample(String id, Split split, int copy, byte[] jpeg, SampleLabel label, long previewRank) {
    public AugmentedSample {
        requireNonNull(id, "id");
        requireNonNull(split, "split");
        requireNonNull(jpeg, "jpeg");
        requireNonNull(label, "label");
    }
}

package org.yolofleet.publish;

import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.image.RgbImage;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One image of a run's val split as the gates score it: the network-sized image augment wrote into the val shard, and
 * its labelled objects in that image's pixels ({@link GroundTruth#imageId()} is {@code key}).
 */
public record ValImage(String key, RgbImage image, List<GroundTruth> truths) {
    public ValImage {
        requireNonNull(key, "key");
        requireNonNull(image, "image");
        truths = List.copyOf(truths);
    }
}

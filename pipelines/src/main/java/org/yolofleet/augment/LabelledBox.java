package org.yolofleet.augment;

import org.yolofleet.core.detect.BoundingBox;

import static java.util.Objects.requireNonNull;

/**
 * One object: its class, its box in pixels and the VOC flags.
 *
 * @param truncated the object is not wholly visible: VOC's flag, also set when augmentation cut part of it off
 */
public record LabelledBox(int classId, String className, BoundingBox box, boolean difficult, boolean truncated) {
    public LabelledBox {
        if (classId < 0) {
            throw new IllegalArgumentException("class id must not be negative, got " + classId);
        }
        requireNonNull(className, "className");
        requireNonNull(box, "box");
    }

    public LabelledBox withBox(BoundingBox newBox, boolean newTruncated) {
        return new LabelledBox(classId, className, newBox, difficult, newTruncated);
    }
}

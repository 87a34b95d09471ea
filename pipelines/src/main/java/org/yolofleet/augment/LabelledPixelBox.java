package org.yolofleet.augment;

import org.yolofleet.core.detect.BoundingBox;

import static java.util.Objects.requireNonNull;

/**
 * One object: its class, its box in pixels and the VOC flags.
 *
 * @param truncated the object is not wholly visible: VOC's flag, also set when augmentation cut part of it off
 */
public record LabelledPixelBox(int classId, String className, BoundingBox box, boolean difficult, boolean truncated) {
    public LabelledPixelBox {
        if (classId < 0) {
            throw new IllegalArgumentException("class id must not be negative, got " + classId);
        }
        requireNonNull(className, "className");
        requireNonNull(box, "box");
    }

    public LabelledPixelBox withBox(BoundingBox newBox, boolean newTruncated) {
        return new LabelledPixelBox(classId, className, newBox, difficult, newTruncated);
    }
}

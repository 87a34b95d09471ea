package org.yolofleet.augment;

import org.yolofleet.stage.Split;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One image of a prepared dataset as the augment stage reads it.
 *
 * @param width  the width the dataset recorded for the image (checked against the decoded image)
 * @param height the height the dataset recorded
 * @param image  the stored image bytes (JPEG)
 * @param boxes  the objects, in pixels of the stored image
 */
public record PreparedRecord(String id, Split split, int width, int height, byte[] image, List<LabelledPixelBox> boxes) {
    public PreparedRecord {
        requireNonNull(id, "id");
        requireNonNull(split, "split");
        requireNonNull(image, "image");
        boxes = List.copyOf(boxes);
    }
}

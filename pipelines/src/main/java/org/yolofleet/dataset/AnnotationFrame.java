package org.yolofleet.dataset;

import org.yolofleet.core.image.ExifOrientation;
import org.yolofleet.core.image.ImageSize;
import org.yolofleet.core.image.PixelBox;
import org.yolofleet.core.quarantine.Finding;
import org.yolofleet.core.quarantine.QuarantineReason;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The pixel frame an annotation's boxes are read in: the image as stored, or — when the EXIF orientation swaps the
 * axes and {@code <size>} names the upright size — the upright image (the tool showed it turned).
 *
 * @param size    the frame's size: always the real image's, never the {@code <size>} of the XML
 * @param upright whether the boxes are already in the upright frame (they are not turned again)
 * @param warning SIZE_MISMATCH when {@code <size>} agrees with neither frame
 */
public record AnnotationFrame(ImageSize size, boolean upright, Optional<Finding> warning) {
    public AnnotationFrame {
        requireNonNull(size, "size");
        requireNonNull(warning, "warning");
    }

    /** Decides the frame from the declared size and the real image. */
    public static AnnotationFrame of(Optional<ImageSize> declared, ImageSize stored, ExifOrientation orientation) {
        ImageSize upright = orientation.uprightSize(stored);
        if (declared.isEmpty() || declared.get().equals(stored)) {
            return new AnnotationFrame(stored, false, Optional.empty());
        }
        if (orientation.swapsAxes() && declared.get().equals(upright)) {
            return new AnnotationFrame(upright, true, Optional.empty());
        }
        return new AnnotationFrame(stored, false, Optional.of(new Finding(QuarantineReason.SIZE_MISMATCH,
                "<size> says " + declared.get() + " but the image is " + stored + "; boxes are checked against the image")));
    }

    /** A box of this frame in the normalised (upright) image. */
    public PixelBox toUpright(PixelBox box, ImageSize stored, ExifOrientation orientation) {
        return upright ? box : orientation.uprightBox(box, stored);
    }
}

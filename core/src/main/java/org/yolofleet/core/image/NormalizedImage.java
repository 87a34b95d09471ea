package org.yolofleet.core.image;

import org.yolofleet.core.quarantine.Finding;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An image decoded, proven whole, converted to 8-bit RGB, turned upright and encoded as JPEG.
 *
 * @param storedSize  the size of the pixels as stored in the file (the frame the annotation was drawn in)
 * @param orientation the EXIF orientation that was applied; map boxes with {@link #uprightBox(PixelBox)}
 * @param jpegBytes   the normalised JPEG (copied in and out)
 * @param findings    the conversions made (all warnings)
 */
public record NormalizedImage(ImageSize storedSize, ExifOrientation orientation, byte[] jpegBytes, List<Finding> findings) {
    public NormalizedImage {
        requireNonNull(storedSize, "storedSize");
        requireNonNull(orientation, "orientation");
        jpegBytes = requireNonNull(jpegBytes, "jpegBytes").clone();
        findings = List.copyOf(findings);
    }

    /** The size of the normalised (upright) image. */
    public ImageSize size() {
        return orientation.uprightSize(storedSize);
    }

    /** A box in the stored frame, in the normalised image. */
    public PixelBox uprightBox(PixelBox storedBox) {
        return orientation.uprightBox(storedBox, storedSize);
    }

    @Override
    public byte[] jpegBytes() {
        return jpegBytes.clone();
    }

    public byte[] jpegBytesUncopied() {
        return jpegBytes;
    }
}

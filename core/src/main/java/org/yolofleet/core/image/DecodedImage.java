package org.yolofleet.core.image;

import org.yolofleet.core.quarantine.Finding;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An image file decoded by {@link ImageDecoder}: upright 8-bit RGB pixels, the header they came from, and the
 * conversions that were needed to get them (CMYK, 16-bit, palette, grayscale, transparency; all warnings).
 *
 * @param header   the file's header: format, stored size, EXIF orientation (already applied to {@code image})
 * @param image    the upright RGB pixels
 * @param findings the conversions made while decoding, in the order they were made
 */
public record DecodedImage(ImageHeader header, RgbImage image, List<Finding> findings) {
    public DecodedImage {
        requireNonNull(header, "header");
        requireNonNull(image, "image");
        findings = List.copyOf(findings);
    }

    /** The size of the pixels as stored in the file: the frame an annotation was drawn in. */
    public ImageSize storedSize() {
        return header.size();
    }

    public ExifOrientation orientation() {
        return header.orientation();
    }
}

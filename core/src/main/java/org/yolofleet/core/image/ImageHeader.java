package org.yolofleet.core.image;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What an image file's header says, read without decoding its pixels.
 *
 * @param format          the format by content
 * @param size            the stored size (before the orientation is applied)
 * @param bitsPerPixel    all channels together, as the header declares them
 * @param colorType       the colour model the header declares
 * @param orientation     the EXIF orientation; {@link ExifOrientation#NORMAL} when there is none
 * @param metadataProblem why the EXIF metadata was ignored, when it was unreadable or invalid
 */
public record ImageHeader(ImageFileFormat format, ImageSize size, int bitsPerPixel, ColorType colorType,
                          ExifOrientation orientation, Optional<String> metadataProblem) {
    /** The colour model an image header declares. */
    public enum ColorType { BILEVEL, GRAYSCALE, RGB, YCBCR, CMYK, YCCK, OTHER, UNKNOWN }

    public ImageHeader {
        requireNonNull(format, "format");
        requireNonNull(size, "size");
        requireNonNull(colorType, "colorType");
        requireNonNull(orientation, "orientation");
        requireNonNull(metadataProblem, "metadataProblem");
    }

    /** The size once the orientation is applied. */
    public ImageSize uprightSize() {
        return orientation.uprightSize(size);
    }
}

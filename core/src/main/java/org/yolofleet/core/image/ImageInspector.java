package org.yolofleet.core.image;

import org.apache.commons.imaging.ImageInfo;
import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.common.ImageMetadata;
import org.apache.commons.imaging.formats.jpeg.JpegImageMetadata;
import org.apache.commons.imaging.formats.tiff.TiffDirectory;
import org.apache.commons.imaging.formats.tiff.TiffField;
import org.apache.commons.imaging.formats.tiff.TiffImageMetadata;
import org.apache.commons.imaging.formats.tiff.constants.TiffDirectoryConstants;
import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.quarantine.RecordRejectedException;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an image file's header with commons-imaging — format, size, colour type, bits per pixel, EXIF orientation —
 * without decoding pixels, and refuses files that declare more pixels than allowed (decompression bombs) before
 * anything decodes them.
 */
public final class ImageInspector {
    private final long maxImagePixels;

    public ImageInspector(long maxImagePixels) {
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException("maxImagePixels must be >= 1, got " + maxImagePixels);
        }
        this.maxImagePixels = maxImagePixels;
    }

    /**
     * @throws RecordRejectedException with IMAGE_EMPTY, IMAGE_TRUNCATED, IMAGE_UNDECODABLE or IMAGE_TOO_LARGE
     */
    public ImageHeader inspect(byte[] bytes) {
        if (bytes.length == 0) {
            throw new RecordRejectedException(QuarantineReason.IMAGE_EMPTY, "the image file has 0 bytes");
        }
        ImageFileFormat format = ImageFileFormat.detect(bytes);
        if (!format.decodable()) {
            throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE, format == ImageFileFormat.UNKNOWN
                    ? "not a JPEG, PNG, GIF, BMP or TIFF file (it starts with" + leadingBytes(bytes) + ")"
                    : format + " images are not supported");
        }
        ImageInfo info;
        try {
            info = Imaging.getImageInfo(bytes);
        } catch (IOException | RuntimeException unreadable) {
            if (ImageStructure.isTruncated(format, bytes)) {
                throw new RecordRejectedException(QuarantineReason.IMAGE_TRUNCATED, "the " + format + " file is cut short ("
                        + bytes.length + " bytes): it ends before its " + (format == ImageFileFormat.PNG ? "IEND chunk" : "end-of-image marker")
                        + " and its header cannot be read", unreadable);
            }
            throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE,
                    "unreadable " + format + " header: " + unreadable.getMessage(), unreadable);
        }
        if (info.getWidth() < 1 || info.getHeight() < 1) {
            throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE,
                    "the header declares the size " + info.getWidth() + "x" + info.getHeight());
        }
        ImageSize size = new ImageSize(info.getWidth(), info.getHeight());
        requireWithinLimit(size, maxImagePixels);
        ExifOrientation orientation = ExifOrientation.NORMAL;
        Optional<String> metadataProblem = Optional.empty();
        if (format == ImageFileFormat.JPEG || format == ImageFileFormat.TIFF) {
            try {
                int tag = orientationTag(Imaging.getMetadata(bytes));
                Optional<ExifOrientation> declared = ExifOrientation.ofTagValue(tag);
                if (declared.isPresent()) {
                    orientation = declared.get();
                } else {
                    metadataProblem = Optional.of("the EXIF orientation " + tag + " is not 1 to 8");
                }
            } catch (IOException | RuntimeException unreadable) {
                metadataProblem = Optional.of("unreadable EXIF metadata: " + unreadable.getMessage());
            }
        }
        return new ImageHeader(format, size, info.getBitsPerPixel(), colorType(info.getColorType()), orientation, metadataProblem);
    }

    /** Refuses a size over the pixel limit: the check made before any decoder allocates pixels. */
    static void requireWithinLimit(ImageSize size, long maxImagePixels) {
        if (size.pixels() > maxImagePixels) {
            throw new RecordRejectedException(QuarantineReason.IMAGE_TOO_LARGE, String.format(Locale.ROOT,
                    "the header declares %s = %,d pixels, more than the limit of %,d; not decoded", size, size.pixels(),
                    maxImagePixels));
        }
    }

    /** The orientation tag of the first (root) image file directory; 1 when there is none. */
    private static int orientationTag(ImageMetadata metadata) throws IOException {
        TiffImageMetadata tiff = null;
        if (metadata instanceof JpegImageMetadata jpeg) {
            tiff = jpeg.getExif();
        } else if (metadata instanceof TiffImageMetadata direct) {
            tiff = direct;
        }
        if (tiff == null) {
            return ExifOrientation.NORMAL.tagValue();
        }
        TiffDirectory root = tiff.findDirectory(TiffDirectoryConstants.DIRECTORY_TYPE_ROOT);
        TiffField field = root == null ? null : root.findField(TiffTagConstants.TIFF_TAG_ORIENTATION);
        return field == null ? ExifOrientation.NORMAL.tagValue() : field.getIntValue();
    }

    private static ImageHeader.ColorType colorType(ImageInfo.ColorType declared) {
        if (declared == null) {
            return ImageHeader.ColorType.UNKNOWN;
        }
        return switch (declared) {
            case BW -> ImageHeader.ColorType.BILEVEL;
            case GRAYSCALE -> ImageHeader.ColorType.GRAYSCALE;
            case RGB -> ImageHeader.ColorType.RGB;
            case YCbCr -> ImageHeader.ColorType.YCBCR;
            case CMYK -> ImageHeader.ColorType.CMYK;
            case YCCK -> ImageHeader.ColorType.YCCK;
            case YCC, OTHER -> ImageHeader.ColorType.OTHER;
            case UNKNOWN -> ImageHeader.ColorType.UNKNOWN;
        };
    }

    private static String leadingBytes(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        for (int index = 0; index < Math.min(8, bytes.length); index++) {
            hex.append(String.format(Locale.ROOT, " %02X", bytes[index] & 0xFF));
        }
        return hex.toString();
    }
}

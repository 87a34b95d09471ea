package org.yolofleet.core.image;

import org.yolofleet.core.quarantine.Finding;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.quarantine.RecordRejectedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * What {@code prepare} stores of an image: the file decoded by the one {@link ImageDecoder} (proven whole, 8-bit RGB,
 * upright) and encoded as baseline JPEG at the configured quality. The conversions are reported as findings: the
 * decoder's, a non-JPEG format converted, and the EXIF orientation applied.
 */
public final class ImageNormalizer {
    private final int jpegQuality;
    private final ImageDecoder decoder;

    public ImageNormalizer(int jpegQuality, long maxImagePixels) {
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("jpegQuality must be 1 to 100, got " + jpegQuality);
        }
        this.jpegQuality = jpegQuality;
        this.decoder = new ImageDecoder(maxImagePixels);
    }

    /**
     * @param bytes  the image file
     * @param header its header, from {@link ImageInspector#inspect(byte[])}
     * @throws RecordRejectedException with IMAGE_TRUNCATED, IMAGE_UNDECODABLE or IMAGE_TOO_LARGE
     */
    public NormalizedImage normalize(byte[] bytes, ImageHeader header) {
        requireNonNull(bytes, "bytes");
        requireNonNull(header, "header");
        DecodedImage decoded = decoder.decode(bytes, header);
        List<Finding> findings = new ArrayList<>(decoded.findings());
        if (header.format() != ImageFileFormat.JPEG) {
            findings.add(new Finding(QuarantineReason.FORMAT_CONVERTED, header.format() + " converted to JPEG"));
        }
        ExifOrientation orientation = header.orientation();
        if (orientation != ExifOrientation.NORMAL) {
            findings.add(new Finding(QuarantineReason.EXIF_ORIENTATION_APPLIED, "EXIF orientation " + orientation.tagValue()
                    + " (" + orientation.name().toLowerCase(Locale.ROOT).replace('_', ' ') + "): " + decoded.storedSize() + " stored, "
                    + orientation.uprightSize(decoded.storedSize()) + " upright"));
        }
        byte[] jpeg = JpegCodec.encode(decoded.image(), jpegQuality);
        return new NormalizedImage(decoded.storedSize(), orientation, jpeg, findings);
    }
}

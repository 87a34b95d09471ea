package org.yolofleet.dataset;

import org.yolofleet.core.quarantine.QuarantineEntry;

import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One kept image record, normalised: RGB JPEG with the EXIF orientation applied, objects in its pixels.
 *
 * @param source         the source (VOC root) name
 * @param imageId        the VOC id: the annotation file name without {@code .xml} (what ImageSets lists name)
 * @param annotationPath the annotation file as given to the processor
 * @param imagePath      the image file, as {@link ImageStore#path(String)} names it
 * @param contentHash    SHA-256 (lower-case hex) of the original image file bytes
 * @param width          width of the normalised image
 * @param height         height of the normalised image
 * @param jpegBytes      the normalised image as a baseline RGB JPEG (copied in and out)
 * @param objects        the valid objects
 * @param warnings       what was noticed or changed on this kept record
 */
public record PreparedImage(String source, String imageId, String annotationPath, String imagePath, String contentHash,
                            int width, int height, byte[] jpegBytes, List<PreparedObject> objects,
                            List<QuarantineEntry> warnings) {
    public PreparedImage {
        requireNonNull(source, "source");
        requireNonNull(imageId, "imageId");
        requireNonNull(annotationPath, "annotationPath");
        requireNonNull(imagePath, "imagePath");
        requireNonNull(contentHash, "contentHash");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        jpegBytes = requireNonNull(jpegBytes, "jpegBytes").clone();
        objects = List.copyOf(objects);
        warnings = List.copyOf(warnings);
    }

    @Override
    public byte[] jpegBytes() {
        return jpegBytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PreparedImage image
                && source.equals(image.source) && imageId.equals(image.imageId)
                && annotationPath.equals(image.annotationPath) && imagePath.equals(image.imagePath)
                && contentHash.equals(image.contentHash) && width == image.width && height == image.height
                && Arrays.equals(jpegBytes, image.jpegBytes) && objects.equals(image.objects) && warnings.equals(image.warnings);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * source.hashCode() + imageId.hashCode()) + contentHash.hashCode();
    }

    @Override
    public String toString() {
        return "PreparedImage[" + source + "/" + imageId + ", " + width + "x" + height + ", " + jpegBytes.length + " bytes, "
                + objects.size() + " objects, " + warnings.size() + " warnings]";
    }
}

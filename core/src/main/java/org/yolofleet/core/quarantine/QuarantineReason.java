package org.yolofleet.core.quarantine;

import org.yolofleet.core.error.ErrorCode;

import static org.yolofleet.core.quarantine.QuarantineReason.Severity.REJECT_IMAGE;
import static org.yolofleet.core.quarantine.QuarantineReason.Severity.REJECT_OBJECT;
import static org.yolofleet.core.quarantine.QuarantineReason.Severity.WARNING;

/**
 * Why a record (a whole image, or one object of it) was rejected, or what was noticed on a record that was kept, in
 * any stage. The names are stable: they are the {@code reason} column of the quarantine and the keys of its counts.
 * Each reason has one severity, whichever stage finds it.
 */
public enum QuarantineReason {
    // The annotation file
    XML_EMPTY(REJECT_IMAGE, ErrorCode.BAD_ANNOTATION, "the annotation file is empty"),
    XML_MALFORMED(REJECT_IMAGE, ErrorCode.BAD_ANNOTATION, "the annotation is not well-formed XML"),
    XML_FORBIDDEN_DOCTYPE(REJECT_IMAGE, ErrorCode.BAD_ANNOTATION, "the annotation has a DOCTYPE (DTDs and entities are refused: XXE, billion laughs)"),
    XML_ENCODING(REJECT_IMAGE, ErrorCode.BAD_ANNOTATION, "the annotation cannot be decoded in its declared (or the default UTF-8) encoding"),
    XML_MISSING_FIELD(REJECT_IMAGE, ErrorCode.BAD_ANNOTATION, "the annotation is not a VOC <annotation>"),
    PATH_TRAVERSAL(REJECT_IMAGE, ErrorCode.BAD_ANNOTATION, "<filename> is absolute or leaves the image folder"),
    ANNOTATION_WITHOUT_IMAGE(REJECT_IMAGE, ErrorCode.BAD_ANNOTATION, "no image file for the annotation"),
    IMAGE_WITHOUT_ANNOTATION(REJECT_IMAGE, ErrorCode.BAD_ANNOTATION, "no annotation for the image file"),
    // The image file
    IMAGE_EMPTY(REJECT_IMAGE, ErrorCode.CORRUPT_IMAGE, "the image file is empty"),
    IMAGE_TRUNCATED(REJECT_IMAGE, ErrorCode.CORRUPT_IMAGE, "the image file ends before the image does"),
    IMAGE_UNDECODABLE(REJECT_IMAGE, ErrorCode.CORRUPT_IMAGE, "the image cannot be decoded (corrupt or unsupported format)"),
    IMAGE_TOO_LARGE(REJECT_IMAGE, ErrorCode.CORRUPT_IMAGE, "the image header declares more pixels than allowed (not decoded)"),
    // A prepared record, read again by a later stage
    IMAGE_SIZE_CHANGED(REJECT_IMAGE, ErrorCode.CORRUPT_IMAGE, "the stored image decodes to another size than the dataset records"),
    RECORD_INVALID(REJECT_IMAGE, ErrorCode.BAD_ANNOTATION, "the prepared record is not valid (e.g. a box not finite or inverted)"),
    // Across records: decided by the job, not by one record
    DUPLICATE_IMAGE(REJECT_IMAGE, ErrorCode.CORRUPT_IMAGE, "the same image content is already in the dataset"),
    DUPLICATE_ID(WARNING, ErrorCode.BAD_ANNOTATION, "the same image id is in another source"),
    DUPLICATE_CONFLICT(WARNING, ErrorCode.BAD_ANNOTATION, "two annotations of the same image content disagree on its boxes; one was kept"),
    // One object
    OBJECT_MISSING_FIELD(REJECT_OBJECT, ErrorCode.BAD_ANNOTATION, "the object lacks <name>, <bndbox> or a coordinate"),
    BOX_NOT_FINITE(REJECT_OBJECT, ErrorCode.BAD_ANNOTATION, "a box coordinate is not a finite number"),
    BOX_NEGATIVE(REJECT_OBJECT, ErrorCode.BAD_ANNOTATION, "a box coordinate is negative beyond the clip tolerance"),
    BOX_INVERTED(REJECT_OBJECT, ErrorCode.BAD_ANNOTATION, "xmin > xmax or ymin > ymax"),
    BOX_ZERO_AREA(REJECT_OBJECT, ErrorCode.BAD_ANNOTATION, "xmin = xmax or ymin = ymax"),
    BOX_TOO_SMALL(REJECT_OBJECT, ErrorCode.BAD_ANNOTATION, "the box is narrower or lower than the minimum size"),
    BOX_OUTSIDE_IMAGE(REJECT_OBJECT, ErrorCode.BAD_ANNOTATION, "the box crosses the image border by more than the clip tolerance"),
    UNKNOWN_CLASS(REJECT_OBJECT, ErrorCode.BAD_ANNOTATION, "the class is neither configured nor an alias"),
    // Every object: kept as a negative, the image would teach that its objects are background
    ALL_OBJECTS_REJECTED(REJECT_IMAGE, ErrorCode.BAD_ANNOTATION, "the image has objects but every one was rejected"),
    // Kept, with a note
    FILENAME_MISMATCH(WARNING, ErrorCode.BAD_ANNOTATION, "<filename> missing or not found; the image named after the annotation file was used"),
    WRONG_EXTENSION(WARNING, ErrorCode.CORRUPT_IMAGE, "the image file extension does not match its content"),
    FORMAT_CONVERTED(WARNING, ErrorCode.CORRUPT_IMAGE, "the image was not a JPEG and was converted"),
    CONVERTED_GRAYSCALE(WARNING, ErrorCode.CORRUPT_IMAGE, "a grayscale image was converted to RGB"),
    CONVERTED_CMYK(WARNING, ErrorCode.CORRUPT_IMAGE, "a CMYK or YCCK image was converted to RGB"),
    CONVERTED_16_BIT(WARNING, ErrorCode.CORRUPT_IMAGE, "a 16-bit image was converted to 8 bits per channel"),
    CONVERTED_PALETTE(WARNING, ErrorCode.CORRUPT_IMAGE, "a palette image was converted to RGB"),
    ALPHA_REMOVED(WARNING, ErrorCode.CORRUPT_IMAGE, "transparency was composited on white"),
    EXIF_ORIENTATION_APPLIED(WARNING, ErrorCode.CORRUPT_IMAGE, "the EXIF orientation was applied to the pixels and the boxes"),
    METADATA_IGNORED(WARNING, ErrorCode.CORRUPT_IMAGE, "unreadable or invalid image metadata (EXIF) was ignored"),
    SIZE_MISMATCH(WARNING, ErrorCode.BAD_ANNOTATION, "<size> disagrees with the image; the image was trusted"),
    BOX_CLIPPED(WARNING, ErrorCode.BAD_ANNOTATION, "the box crossed the image border within the tolerance and was clipped"),
    ALIAS_APPLIED(WARNING, ErrorCode.BAD_ANNOTATION, "the class name was mapped by a configured alias"),
    NO_OBJECTS(WARNING, ErrorCode.BAD_ANNOTATION, "the image has no objects: kept as a negative"),
    ALL_OBJECTS_REJECTED_KEPT(WARNING, ErrorCode.BAD_ANNOTATION,
            "every object was rejected; kept as a negative (prepare.all-objects-rejected = keep-as-negative)");

    /** What a reason does to its record. */
    public enum Severity {
        /** The whole image record is left out of the dataset. */
        REJECT_IMAGE,
        /** One object is left out; the image is kept with its other objects. */
        REJECT_OBJECT,
        /** The record is kept; the quarantine notes what was noticed or changed. */
        WARNING
    }

    private final Severity severity;
    private final ErrorCode errorCode;
    private final String description;

    QuarantineReason(Severity severity, ErrorCode errorCode, String description) {
        this.severity = severity;
        this.errorCode = errorCode;
        this.description = description;
    }

    public Severity severity() {
        return severity;
    }

    /** The error category this reason is counted under when it surfaces as an exception. */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** One line for humans: what the reason means. */
    public String description() {
        return description;
    }

    /** True for the reasons that only the job can decide, by comparing records (never produced by one record). */
    public boolean decidedAcrossRecords() {
        return this == DUPLICATE_IMAGE || this == DUPLICATE_ID || this == DUPLICATE_CONFLICT || this == IMAGE_WITHOUT_ANNOTATION;
    }
}

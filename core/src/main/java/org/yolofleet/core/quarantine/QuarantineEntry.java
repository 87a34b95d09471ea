package org.yolofleet.core.quarantine;

import static java.util.Objects.requireNonNull;

/**
 * One row of the quarantine: a rejected record (a whole image or one object) or a warning on a kept one.
 *
 * @param source      the source (VOC root) name
 * @param path        the file at fault: the annotation for annotation and box problems, the image for image problems
 * @param objectIndex the object's position in the annotation (from 0), or {@link #WHOLE_RECORD}
 * @param reason      the reason code
 * @param detail      what exactly was found, for humans
 */
public record QuarantineEntry(String source, String path, int objectIndex, QuarantineReason reason, String detail) {
    /** The {@code objectIndex} of an entry about the whole record. */
    public static final int WHOLE_RECORD = -1;

    public QuarantineEntry {
        requireNonNull(source, "source");
        requireNonNull(path, "path");
        requireNonNull(reason, "reason");
        requireNonNull(detail, "detail");
        if (objectIndex < WHOLE_RECORD) {
            throw new IllegalArgumentException("objectIndex must be >= -1, got " + objectIndex);
        }
    }
}

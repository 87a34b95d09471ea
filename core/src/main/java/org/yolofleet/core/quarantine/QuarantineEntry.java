package org.yolofleet.core.quarantine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One row of a quarantine, the same shape in every stage: a rejected record (a whole image or one object) or a warning
 * on a kept one.
 *
 * @param stage       the stage that set it aside
 * @param source      the source (VOC root) name
 * @param path        the file at fault: the annotation for annotation and box problems, the image for image problems; for
 *                    a stage after prepare, the prepared record's id ({@code <source>/<image id>})
 * @param objectIndex the object's position in the annotation (from 0), or {@link #WHOLE_RECORD}
 * @param reason      the reason code; its {@link QuarantineReason#severity() severity} is the entry's
 * @param detail      what exactly was found, for humans
 */
public record QuarantineEntry(QuarantineStage stage, String source, String path, int objectIndex, QuarantineReason reason, String detail) {
    /** The {@code objectIndex} of an entry about the whole record. */
    public static final int WHOLE_RECORD = -1;

    public QuarantineEntry {
        requireNonNull(stage, "stage");
        requireNonNull(source, "source");
        requireNonNull(path, "path");
        requireNonNull(reason, "reason");
        requireNonNull(detail, "detail");
        if (objectIndex < WHOLE_RECORD) {
            throw new IllegalArgumentException("objectIndex must be >= -1, got " + objectIndex);
        }
    }

    /** An entry of {@link QuarantineStage#PREPARE}, the stage that reads the source files. */
    public QuarantineEntry(String source, String path, int objectIndex, QuarantineReason reason, String detail) {
        this(QuarantineStage.PREPARE, source, path, objectIndex, reason, detail);
    }

    public QuarantineReason.Severity severity() {
        return reason.severity();
    }

    /**
     * The entry as the quarantine's columns, in their order: {@code stage, source, path, object_index, reason, severity,
     * detail} (the Parquet quarantine of prepare and the {@code quarantine.json} of augment use these names).
     */
    public Map<String, Object> columns() {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("stage", stage.columnValue());
        columns.put("source", source);
        columns.put("path", path);
        columns.put("object_index", objectIndex);
        columns.put("reason", reason.name());
        columns.put("severity", severity().name());
        columns.put("detail", detail);
        return Collections.unmodifiableMap(columns);
    }
}

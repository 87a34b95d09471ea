package org.yolofleet.core.quarantine;

import java.util.Locale;

/** The stage that set a record aside: one quarantine shape serves them all, so reasons can be counted across stages. */
public enum QuarantineStage {
    /** Reading the source annotations and images ({@code quarantine/} of a prepared dataset). */
    PREPARE,
    /** Turning prepared records into training samples ({@code quarantine.json} of an augment output). */
    AUGMENT;

    /** The name as written in the quarantine's {@code stage} column: {@code prepare}, {@code augment}. */
    public String columnValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}

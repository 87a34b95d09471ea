package org.yolofleet.prepare;

import java.io.Serial;
import java.io.Serializable;

import static java.util.Objects.requireNonNull;

/** One annotation file to prepare: which source, which file under its Annotations/. */
public record AnnotationTask(int sourceIndex, String fileName) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public AnnotationTask {
        requireNonNull(fileName, "fileName");
    }
}

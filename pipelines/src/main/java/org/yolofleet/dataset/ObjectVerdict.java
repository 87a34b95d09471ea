package org.yolofleet.dataset;

import org.yolofleet.core.image.PixelBox;
import org.yolofleet.core.quarantine.Finding;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** What {@link BoxValidator} decided about one object: kept (with its class and clipped box) or rejected. */
public sealed interface ObjectVerdict {
    /**
     * A valid object.
     *
     * @param box      the box in the frame the annotation was drawn in, clipped to it
     * @param warnings alias applied, box clipped
     */
    record Accepted(int classId, String className, PixelBox box, boolean difficult, boolean truncated, List<Finding> warnings)
            implements ObjectVerdict {
        public Accepted {
            requireNonNull(className, "className");
            requireNonNull(box, "box");
            warnings = List.copyOf(warnings);
        }
    }

    /** An object left out, and why. */
    record Rejected(Finding reason) implements ObjectVerdict {
        public Rejected {
            requireNonNull(reason, "reason");
        }
    }
}

package org.yolofleet.dataset;

import org.yolofleet.core.image.ImageSize;
import org.yolofleet.core.image.PixelBox;
import org.yolofleet.core.quarantine.Finding;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.dataset.VocAnnotation.VocBox;
import org.yolofleet.dataset.VocAnnotation.VocObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Checks one object against the rules, in this order, the first failure deciding: complete fields, known class
 * (aliases applied), finite coordinates, {@code xmin <= xmax} and {@code ymin <= ymax}, non-zero area, no coordinate
 * below −tolerance, inside the image within the tolerance (clipped to it), the minimum size after clipping.
 */
public final class BoxValidator {
    private final RecordRules rules;

    public BoxValidator(RecordRules rules) {
        this.rules = requireNonNull(rules, "rules");
    }

    /**
     * @param object the object as parsed
     * @param frame  the size of the image the box was drawn on
     */
    public ObjectVerdict validate(VocObject object, ImageSize frame) {
        requireNonNull(object, "object");
        requireNonNull(frame, "frame");
        if (!object.missingFields().isEmpty()) {
            return rejected(QuarantineReason.OBJECT_MISSING_FIELD, "missing " + String.join(", ", object.missingFields()));
        }
        String annotated = object.name().orElseThrow();
        VocBox box = object.box().orElseThrow();
        List<Finding> warnings = new ArrayList<>();
        String className = annotated;
        Optional<Integer> classId = rules.classId(annotated);
        if (classId.isEmpty() && rules.aliases().containsKey(annotated)) {
            className = rules.aliases().get(annotated);
            classId = rules.classId(className);
            warnings.add(new Finding(QuarantineReason.ALIAS_APPLIED, "'" + annotated + "' read as '" + className + "'"));
        }
        if (classId.isEmpty()) {
            return rejected(QuarantineReason.UNKNOWN_CLASS, "'" + annotated + "' is not a configured class " + rules.classes()
                    + (rules.aliases().isEmpty() ? "" : " nor an alias " + rules.aliases().keySet().stream().sorted().toList()));
        }
        if (!Double.isFinite(box.xmin()) || !Double.isFinite(box.ymin()) || !Double.isFinite(box.xmax())
                || !Double.isFinite(box.ymax())) {
            return rejected(QuarantineReason.BOX_NOT_FINITE, box.text());
        }
        PixelBox written = new PixelBox(box.xmin(), box.ymin(), box.xmax(), box.ymax());
        if (box.xmin() > box.xmax() || box.ymin() > box.ymax()) {
            return rejected(QuarantineReason.BOX_INVERTED, written + ": min above max");
        }
        if (box.xmin() == box.xmax() || box.ymin() == box.ymax()) {
            return rejected(QuarantineReason.BOX_ZERO_AREA, written + " has no area");
        }
        double tolerance = rules.clipTolerancePixels();
        if (box.xmin() < -tolerance || box.ymin() < -tolerance) {
            return rejected(QuarantineReason.BOX_NEGATIVE, written + " is below 0 by more than the tolerance of "
                    + PixelBox.format(tolerance) + " px");
        }
        int width = frame.width();
        int height = frame.height();
        if (box.xmax() > width + tolerance || box.ymax() > height + tolerance || box.xmin() >= width || box.ymin() >= height
                || box.xmax() <= 0 || box.ymax() <= 0) {
            boolean wholly = box.xmin() >= width || box.ymin() >= height || box.xmax() <= 0 || box.ymax() <= 0;
            return rejected(QuarantineReason.BOX_OUTSIDE_IMAGE, written + (wholly ? " lies wholly outside the " + frame + " image"
                    : " crosses the border of the " + frame + " image by more than " + PixelBox.format(tolerance) + " px"));
        }
        PixelBox clipped = new PixelBox(Math.max(0, box.xmin()), Math.max(0, box.ymin()), Math.min(width, box.xmax()),
                Math.min(height, box.ymax()));
        if (!clipped.equals(written)) {
            warnings.add(new Finding(QuarantineReason.BOX_CLIPPED, written + " clipped to " + clipped + " in the " + frame + " image"));
        }
        if (clipped.width() < rules.minBoxSizePixels() || clipped.height() < rules.minBoxSizePixels()) {
            return rejected(QuarantineReason.BOX_TOO_SMALL, clipped + " is " + PixelBox.format(clipped.width()) + "x"
                    + PixelBox.format(clipped.height()) + " px, under the minimum of " + PixelBox.format(rules.minBoxSizePixels()) + " px");
        }
        return new ObjectVerdict.Accepted(classId.get(), className, clipped, object.difficult(), object.truncated(), warnings);
    }

    private static ObjectVerdict rejected(QuarantineReason reason, String detail) {
        return new ObjectVerdict.Rejected(new Finding(reason, detail));
    }
}

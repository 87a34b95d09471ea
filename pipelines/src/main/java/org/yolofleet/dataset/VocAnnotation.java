package org.yolofleet.dataset;

import org.yolofleet.core.image.ImageSize;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One parsed VOC annotation file, as written: nothing validated beyond the XML being a VOC {@code <annotation>}.
 *
 * @param filename     {@code <filename>}, trimmed; empty when missing or blank
 * @param declaredSize {@code <size>} when it holds a positive integer width and height
 * @param objects      the {@code <object>} elements in document order
 */
public record VocAnnotation(Optional<String> filename, Optional<ImageSize> declaredSize, List<VocObject> objects) {
    public VocAnnotation {
        requireNonNull(filename, "filename");
        requireNonNull(declaredSize, "declaredSize");
        objects = List.copyOf(objects);
    }

    /**
     * One {@code <object>}.
     *
     * @param name          {@code <name>}, trimmed; empty when missing or blank
     * @param box           {@code <bndbox>} when all four coordinates are present
     * @param difficult     {@code <difficult>} is 1 or true
     * @param truncated     {@code <truncated>} is 1 or true
     * @param missingFields what is missing, e.g. {@code name}, {@code bndbox}, {@code bndbox/xmax}; empty when complete
     */
    public record VocObject(Optional<String> name, Optional<VocBox> box, boolean difficult, boolean truncated,
                            List<String> missingFields) {
        public VocObject {
            requireNonNull(name, "name");
            requireNonNull(box, "box");
            missingFields = List.copyOf(missingFields);
        }
    }

    /**
     * The four coordinates of a {@code <bndbox>}, each parsed to a double: text that is not a decimal number is NaN,
     * so that validation can report it.
     *
     * @param text the coordinates as written, for messages
     */
    public record VocBox(double xmin, double ymin, double xmax, double ymax, String text) {
        public VocBox {
            requireNonNull(text, "text");
        }
    }
}

package org.yolofleet.dataset;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The rules one record is checked against. Serializable: the job ships it to its executors.
 *
 * @param classes             class names; a class id is its index here, fixed by configuration and never by the data
 * @param aliases             annotation class name → configured class name (e.g. {@code person → pedestrian})
 * @param maxImagePixels      images whose header declares more pixels (width × height) are refused undecoded
 * @param clipTolerancePixels boxes crossing the image border by at most this much are clipped, beyond it rejected
 * @param minBoxSizePixels    boxes narrower or lower than this after clipping are rejected
 * @param jpegQuality         quality (1–100) of the normalised JPEG
 * @param allObjectsRejected  what becomes of an image that has objects but none valid
 */
public record RecordRules(List<String> classes, Map<String, String> aliases, long maxImagePixels,
                          double clipTolerancePixels, double minBoxSizePixels, int jpegQuality,
                          AllObjectsRejected allObjectsRejected) implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    /**
     * An image whose every {@code <object>} was rejected (unknown class, inverted box, no {@code <bndbox>} ...). Kept, it
     * would be a negative: the network would learn its objects as background, so by default it is rejected.
     */
    public enum AllObjectsRejected {
        /** The whole image is rejected (ALL_OBJECTS_REJECTED). */
        REJECT,
        /** The image is kept without objects, with an ALL_OBJECTS_REJECTED_KEPT warning (for sets that mean it). */
        KEEP_AS_NEGATIVE
    }

    /** Rules that reject an image whose objects were all rejected. */
    public RecordRules(List<String> classes, Map<String, String> aliases, long maxImagePixels, double clipTolerancePixels,
                       double minBoxSizePixels, int jpegQuality) {
        this(classes, aliases, maxImagePixels, clipTolerancePixels, minBoxSizePixels, jpegQuality, AllObjectsRejected.REJECT);
    }

    public RecordRules {
        requireNonNull(classes, "classes");
        requireNonNull(aliases, "aliases");
        requireNonNull(allObjectsRejected, "allObjectsRejected");
        classes = List.copyOf(classes);
        aliases = Map.copyOf(aliases);
        if (classes.isEmpty()) {
            throw invalid("classes", classes, "at least one class name");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (String name : classes) {
            if (name.isBlank() || !name.equals(name.strip())) {
                throw invalid("classes", classes, "non-blank names without surrounding spaces");
            }
            if (seen.putIfAbsent(name, seen.size()) != null) {
                throw invalid("classes", classes, "each name once ('" + name + "' is repeated)");
            }
        }
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            if (!seen.containsKey(alias.getValue())) {
                throw invalid("aliases", aliases, "targets among the classes ('" + alias.getKey() + "' maps to '"
                        + alias.getValue() + "', which is not a class)");
            }
            if (seen.containsKey(alias.getKey())) {
                throw invalid("aliases", aliases, "names that are not classes themselves ('" + alias.getKey() + "' is a class)");
            }
        }
        if (maxImagePixels < 1) {
            throw invalid("maxImagePixels", maxImagePixels, "at least 1");
        }
        if (!(clipTolerancePixels >= 0) || Double.isInfinite(clipTolerancePixels)) {
            throw invalid("clipTolerancePixels", clipTolerancePixels, "a finite number >= 0");
        }
        if (!(minBoxSizePixels >= 0) || Double.isInfinite(minBoxSizePixels)) {
            throw invalid("minBoxSizePixels", minBoxSizePixels, "a finite number >= 0");
        }
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw invalid("jpegQuality", jpegQuality, "1 to 100");
        }
    }

    /** Rules with the usual limits: 60 megapixels, 2 px clip tolerance, 2 px minimum box size, JPEG quality 95. */
    public static RecordRules withDefaults(List<String> classes, Map<String, String> aliases) {
        return new RecordRules(classes, aliases, 60_000_000L, 2.0, 2.0, 95);
    }

    public RecordRules withAllObjectsRejected(AllObjectsRejected policy) {
        return new RecordRules(classes, aliases, maxImagePixels, clipTolerancePixels, minBoxSizePixels, jpegQuality, policy);
    }

    /** The id of a configured class name, or empty. */
    public Optional<Integer> classId(String className) {
        int index = classes.indexOf(className);
        return index < 0 ? Optional.empty() : Optional.of(index);
    }

    private static YoloFleetException invalid(String key, Object value, String allowed) {
        return new YoloFleetException(ErrorCode.CONFIG, "record rules: " + key + " = " + value + " is not allowed: expected " + allowed);
    }
}

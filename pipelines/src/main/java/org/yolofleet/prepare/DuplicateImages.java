package org.yolofleet.prepare;

import org.yolofleet.core.quarantine.QuarantineEntry;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.dataset.PreparedObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import static java.util.Objects.requireNonNull;

/**
 * Decides which annotation keeps an image when several annotations bring the same image content (two annotation files
 * naming one image file, or copies of one image): the annotation of the first-listed source, then the one with the
 * lexicographically smallest annotation path. That depends on the inputs only, never on Spark's partitioning or order.
 *
 * <p>Each other annotation is dropped: a DUPLICATE_IMAGE row names the dropped annotation's path, its detail the
 * survivor. When the dropped annotation's boxes differ from the survivor's (another class, another number of boxes, or
 * a coordinate further apart than {@link #TOLERANCE_PIXELS}), a DUPLICATE_CONFLICT warning names both: the two
 * annotators disagreed, and only one of them made it into the dataset.
 */
final class DuplicateImages {
    /** Coordinates of two boxes this close (pixels of the stored image) are the same box: rounding, not disagreement. */
    static final double TOLERANCE_PIXELS = 1.0;
    private static final int BOXES_DESCRIBED = 3;

    private DuplicateImages() {
    }

    /** One annotation record of an image content that more than one record has. */
    record Copy(String source, int sourceIndex, String annotationPath, String imagePath, String contentHash, List<PreparedObject> objects) {
        Copy {
            requireNonNull(source, "source");
            requireNonNull(annotationPath, "annotationPath");
            requireNonNull(imagePath, "imagePath");
            requireNonNull(contentHash, "contentHash");
            objects = List.copyOf(objects);
        }
    }

    /** The annotation paths to leave out of the dataset, and the quarantine rows that say so. */
    record Resolution(List<String> droppedAnnotationPaths, List<QuarantineEntry> entries) {
        Resolution {
            droppedAnnotationPaths = List.copyOf(droppedAnnotationPaths);
            entries = List.copyOf(entries);
        }
    }

    static final Comparator<Copy> SURVIVOR_FIRST = Comparator.comparingInt(Copy::sourceIndex).thenComparing(Copy::annotationPath);

    /** Resolves every group of copies with the same content hash; a content hash held by one copy only is left alone. */
    static Resolution resolve(List<Copy> copies) {
        Map<String, List<Copy>> byContent = new LinkedHashMap<>();
        copies.stream().sorted(Comparator.comparing(Copy::contentHash).thenComparing(SURVIVOR_FIRST))
                .forEach(copy -> byContent.computeIfAbsent(copy.contentHash(), hash -> new ArrayList<>()).add(copy));
        List<String> dropped = new ArrayList<>();
        List<QuarantineEntry> entries = new ArrayList<>();
        for (List<Copy> group : byContent.values()) {
            Copy survivor = group.get(0);
            for (Copy copy : group.subList(1, group.size())) {
                dropped.add(copy.annotationPath());
                entries.add(new QuarantineEntry(copy.source(), copy.annotationPath(), QuarantineEntry.WHOLE_RECORD,
                        QuarantineReason.DUPLICATE_IMAGE, duplicateDetail(copy, survivor)));
                if (!sameBoxes(copy.objects(), survivor.objects())) {
                    entries.add(new QuarantineEntry(copy.source(), copy.annotationPath(), QuarantineEntry.WHOLE_RECORD,
                            QuarantineReason.DUPLICATE_CONFLICT, conflictDetail(copy, survivor)));
                }
            }
        }
        return new Resolution(dropped, entries);
    }

    /** Same number of boxes, each matched by one of the other list with the same class and coordinates within the tolerance. */
    static boolean sameBoxes(List<PreparedObject> left, List<PreparedObject> right) {
        return left.size() == right.size() && unmatched(left, right).isEmpty();
    }

    /** The boxes of {@code boxes} that no box of {@code others} matches (each box of {@code others} matches once). */
    private static List<PreparedObject> unmatched(List<PreparedObject> boxes, List<PreparedObject> others) {
        List<PreparedObject> available = new ArrayList<>(others);
        List<PreparedObject> unmatched = new ArrayList<>();
        for (PreparedObject box : boxes) {
            int match = -1;
            for (int index = 0; index < available.size() && match < 0; index++) {
                if (same(box, available.get(index))) {
                    match = index;
                }
            }
            if (match < 0) {
                unmatched.add(box);
            } else {
                available.remove(match);
            }
        }
        return unmatched;
    }

    private static boolean same(PreparedObject left, PreparedObject right) {
        return left.classId() == right.classId()
                && Math.abs(left.xmin() - right.xmin()) <= TOLERANCE_PIXELS && Math.abs(left.ymin() - right.ymin()) <= TOLERANCE_PIXELS
                && Math.abs(left.xmax() - right.xmax()) <= TOLERANCE_PIXELS && Math.abs(left.ymax() - right.ymax()) <= TOLERANCE_PIXELS;
    }

    private static String duplicateDetail(Copy copy, Copy survivor) {
        String kept = survivor.annotationPath() + (survivor.source().equals(copy.source()) ? "" : " (source " + survivor.source() + ")");
        if (copy.imagePath().equals(survivor.imagePath())) {
            return "names the same image " + copy.imagePath() + " as " + kept + ", which was kept";
        }
        return "its image " + copy.imagePath() + " has the same content (sha256 " + copy.contentHash() + ") as " + survivor.imagePath()
                + " of " + kept + ", which was kept";
    }

    private static String conflictDetail(Copy copy, Copy survivor) {
        return "the boxes of " + copy.annotationPath() + " (dropped, " + copy.objects().size() + " objects) differ from those of "
                + survivor.annotationPath() + " (kept, " + survivor.objects().size() + " objects): only in the dropped one "
                + describe(unmatched(copy.objects(), survivor.objects())) + "; only in the kept one "
                + describe(unmatched(survivor.objects(), copy.objects()));
    }

    private static String describe(List<PreparedObject> boxes) {
        if (boxes.isEmpty()) {
            return "none";
        }
        StringJoiner text = new StringJoiner(", ");
        boxes.stream().limit(BOXES_DESCRIBED).forEach(box -> text.add(String.format(Locale.ROOT, "%s (%.1f, %.1f)-(%.1f, %.1f)",
                box.className(), box.xmin(), box.ymin(), box.xmax(), box.ymax())));
        if (boxes.size() > BOXES_DESCRIBED) {
            text.add("...");
        }
        return text.toString();
    }
}

package org.yolofleet.prelabel;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What one {@code prelabel} run did.
 *
 * @param output          where the annotations were committed
 * @param images          image files found in the images folder
 * @param written         annotations written (with and without objects)
 * @param withDetections  written annotations holding at least one object
 * @param boxesPerClass   objects written, by class name
 * @param droppedBoxes    detections not written: under {@link PrelabelStage#MIN_BOX_PIXELS} wide or high in VOC's integer pixels
 * @param keptExisting    images skipped because an annotation for them exists (overwrite off), by file name
 * @param skipped         images not annotated, by file name, with the reason (undecodable, duplicate name)
 */
public record PrelabelSummary(String output, int images, int written, int withDetections, SortedMap<String, Integer> boxesPerClass,
                              int droppedBoxes, List<String> keptExisting, SortedMap<String, String> skipped) {
    public PrelabelSummary {
        requireNonNull(output, "output");
        boxesPerClass = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(boxesPerClass));
        keptExisting = List.copyOf(keptExisting);
        skipped = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(skipped));
    }

    /** Written annotations with no object: images where the model found nothing (still worth a look). */
    public int withoutDetections() {
        return written - withDetections;
    }

    public int boxes() {
        return boxesPerClass.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The summary as the command prints it. */
    public String text() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "prelabel: %d images, %d annotations written to %s%n", images, written, output));
        text.append(String.format(Locale.ROOT, "  with detections: %d, without (an annotation with no object): %d%n", withDetections,
                withoutDetections()));
        text.append(String.format(Locale.ROOT, "  boxes: %d%s%n", boxes(), boxesPerClass.isEmpty() ? "" : " ("
                + String.join(", ", boxesPerClass.entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue()).toList()) + ")"));
        if (droppedBoxes > 0) {
            text.append(String.format(Locale.ROOT, "  detections not written, under %d px in VOC integer pixels: %d%n",
                    PrelabelStage.MIN_BOX_PIXELS, droppedBoxes));
        }
        if (!keptExisting.isEmpty()) {
            text.append(String.format(Locale.ROOT, "  kept existing annotations (no --overwrite): %d%n", keptExisting.size()));
        }
        if (!skipped.isEmpty()) {
            text.append(String.format(Locale.ROOT, "  skipped images: %d%n", skipped.size()));
            for (Map.Entry<String, String> entry : skipped.entrySet()) {
                text.append("    ").append(entry.getKey()).append(": ").append(entry.getValue()).append(System.lineSeparator());
            }
        }
        return text.toString();
    }
}

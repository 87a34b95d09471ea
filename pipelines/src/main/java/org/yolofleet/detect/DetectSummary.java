package org.yolofleet.detect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * What a {@code detect} run did, for the one-screen summary it ends with.
 *
 * @param model the detector, as {@link DetectorModel#describe()} says it
 * @param images images found in the inputs
 * @param failures one line per image that could not be read or decoded ({@code name: reason})
 * @param detectionsPerClass detections per class name, in class-index order, classes without any included
 * @param elapsedNanos wall time of the whole run
 * @param forwardNanos time spent in the network's forward passes
 * @param output where detections and annotated images went; empty for standard output
 * @param annotatedImages annotated images written
 */
public record DetectSummary(
        String model,
        int images,
        List<String> failures,
        Map<String, Long> detectionsPerClass,
        long elapsedNanos,
        long forwardNanos,
        Optional<String> output,
        int annotatedImages) {
    private static final int FAILURES_SHOWN = 10;

    public DetectSummary {
        requireNonNull(model, "model");
        failures = List.copyOf(requireNonNull(failures, "failures"));
        detectionsPerClass = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(detectionsPerClass, "detectionsPerClass")));
        requireNonNull(output, "output");
        if (images < 0 || failures.size() > images || annotatedImages < 0 || elapsedNanos < 0 || forwardNanos < 0) {
            throw new IllegalArgumentException("inconsistent detect summary: " + images + " images, " + failures.size() + " failures, "
                    + annotatedImages + " annotated, " + elapsedNanos + " ns elapsed, " + forwardNanos + " ns forward");
        }
    }

    /** Images that went through the network. */
    public int detectedImages() {
        return images - failures.size();
    }

    public long detections() {
        return detectionsPerClass.values().stream().mapToLong(Long::longValue).sum();
    }

    public String text() {
        StringBuilder text = new StringBuilder();
        double seconds = elapsedNanos / 1e9;
        int done = detectedImages();
        text.append(String.format(Locale.ROOT, "detect: %d images in %.1f s", images, seconds));
        if (done > 0) {
            text.append(String.format(Locale.ROOT, ", %.0f ms/image (forward %.1f ms)", elapsedNanos / 1e6 / done, forwardNanos / 1e6 / done));
        }
        text.append('\n');
        text.append("model: ").append(model).append('\n');
        text.append("detections: ").append(detections());
        if (detections() > 0) {
            text.append(" (").append(detectionsPerClass.entrySet().stream()
                    .filter(entry -> entry.getValue() > 0)
                    .map(entry -> entry.getKey() + " " + entry.getValue())
                    .collect(Collectors.joining(", "))).append(')');
        }
        text.append('\n');
        text.append("output: ").append(output
                .map(directory -> directory + " (" + DetectRun.DETECTIONS_FILE + ", " + annotatedImages + " annotated images)")
                .orElse("standard output")).append('\n');
        if (!failures.isEmpty()) {
            text.append("failed: ").append(failures.size()).append(" images\n");
            failures.stream().limit(FAILURES_SHOWN).forEach(failure -> text.append("  ").append(failure).append('\n'));
            if (failures.size() > FAILURES_SHOWN) {
                text.append("  ... and ").append(failures.size() - FAILURES_SHOWN).append(" more\n");
            }
        }
        return text.toString();
    }
}

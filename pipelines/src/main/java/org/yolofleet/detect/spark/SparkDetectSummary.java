package org.yolofleet.detect.spark;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * What a {@code detect --spark} run did, for the one-screen summary it ends with: the one-JVM {@code detect}'s lines
 * (images, rate, model, detections per class, output, failures with their reasons), plus the sources.
 *
 * @param model the detector as {@code DetectorModel.describe()} says it, and where it ran
 * @param images images listed in the inputs
 * @param failed images that could not be read or decoded
 * @param failures up to {@link #FAILURES_KEPT} of them, {@code image: reason}
 * @param detectionsPerClass detections per class name, in class-index order, classes without detections left out
 * @param imagesPerSource images per source, by source
 * @param elapsedNanos wall time from listing the inputs to the commit
 * @param output the committed output
 */
public record SparkDetectSummary(
        String model,
        long images,
        long failed,
        List<String> failures,
        Map<String, Long> detectionsPerClass,
        Map<String, Long> imagesPerSource,
        long elapsedNanos,
        String output) {
    /** The failures a summary keeps (and prints at most); the Parquet output has every one. */
    public static final int FAILURES_KEPT = 1000;
    private static final int FAILURES_SHOWN = 10;
    private static final int SOURCES_SHOWN = 10;

    public SparkDetectSummary {
        requireNonNull(model, "model");
        failures = List.copyOf(requireNonNull(failures, "failures"));
        detectionsPerClass = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(detectionsPerClass, "detectionsPerClass")));
        imagesPerSource = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(imagesPerSource, "imagesPerSource")));
        requireNonNull(output, "output");
        if (images < 0 || failed < 0 || failed > images || failures.size() > failed || elapsedNanos < 0) {
            throw new IllegalArgumentException("inconsistent detect summary: " + images + " images, " + failed + " failed, "
                    + failures.size() + " failures listed, " + elapsedNanos + " ns elapsed");
        }
    }

    /** Images that went through the network. */
    public long detectedImages() {
        return images - failed;
    }

    public long detections() {
        return detectionsPerClass.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Images per second of wall time, listing and commit included. */
    public double imagesPerSecond() {
        return elapsedNanos == 0 ? 0 : images / (elapsedNanos / 1e9);
    }

    public String text() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "detect: %d images in %.1f s, %.1f images/s%n", images, elapsedNanos / 1e9, imagesPerSecond()));
        text.append("model: ").append(model).append('\n');
        text.append("detections: ").append(detections());
        if (detections() > 0) {
            text.append(" (").append(detectionsPerClass.entrySet().stream()
                    .map(entry -> entry.getKey() + " " + entry.getValue())
                    .collect(Collectors.joining(", "))).append(')');
        }
        text.append('\n');
        text.append("sources: ").append(imagesPerSource.size()).append(" (").append(imagesPerSource.entrySet().stream()
                .limit(SOURCES_SHOWN)
                .map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", ")))
                .append(imagesPerSource.size() > SOURCES_SHOWN ? ", ..." : "").append(")\n");
        text.append("output: ").append(output).append(" (").append(SparkDetectRun.PARQUET).append("/ and ").append(SparkDetectRun.JSON_LINES)
                .append("/, partitioned by source; ").append(SparkDetectRun.MARKER).append(")\n");
        if (failed > 0) {
            text.append("failed: ").append(failed).append(" images\n");
            failures.stream().limit(FAILURES_SHOWN).forEach(failure -> text.append("  ").append(failure).append('\n'));
            if (failed > FAILURES_SHOWN) {
                text.append("  ... and ").append(failed - FAILURES_SHOWN).append(" more (the error column of the output)\n");
            }
        }
        return text.toString();
    }
}

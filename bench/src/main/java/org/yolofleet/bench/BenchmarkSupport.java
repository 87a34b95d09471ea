package org.yolofleet.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** What every benchmark needs: options, wall time, heap and resident-memory peaks, clean-up. */
final class BenchmarkSupport {
    private BenchmarkSupport() {
    }

    /** {@code --name value} pairs. */
    static Map<String, String> options(String[] arguments, String usage) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int index = 0; index < arguments.length; index++) {
            if (!arguments[index].startsWith("--") || index + 1 >= arguments.length) {
                throw new IllegalArgumentException("usage: " + usage);
            }
            options.put(arguments[index].substring(2), arguments[++index]);
        }
        return options;
    }

    /** Collects garbage and resets the memory pools' peaks, so the next peak belongs to the next measurement. */
    static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    static long peakHeapBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    /** The JVM's peak resident set (VmHWM) over the whole run. */
    static String peakResident(String scope) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(line -> line.startsWith("VmHWM:")).findFirst().map(line -> {
                long kibibytes = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format(Locale.ROOT, "%.0f MiB (%s)", kibibytes / 1024.0, scope);
            }).orElse("unknown");
        } catch (IOException | RuntimeException unavailable) {
            return "unknown (" + unavailable.getMessage() + ")";
        }
    }

    static double seconds(Instant started) {
        return Duration.between(started, Instant.now()).toNanos() / 1e9;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException unavailable) {
            return "unknown";
        }
    }
}

package org.yolofleet.augment;

import org.yolofleet.core.quarantine.QuarantineEntry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/** What a finished augment run hands back: the committed manifest, the quarantined records and where it all is. */
public record AugmentSummary(ShardManifest manifest, List<QuarantineEntry> quarantined, String outputUri) {
    public AugmentSummary {
        requireNonNull(manifest, "manifest");
        quarantined = List.copyOf(quarantined);
        requireNonNull(outputUri, "outputUri");
    }

    /** Samples written per second of the whole run. */
    public double samplesPerSecond() {
        return manifest.durationSeconds() > 0 ? manifest.samples() / manifest.durationSeconds() : 0;
    }

    /** The one-screen summary printed at the end of the job. */
    public String text() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "yolofleet augment: done in %.1f s, %.1f samples/s%n", manifest.durationSeconds(),
                samplesPerSecond()));
        text.append("  input       ").append(manifest.source().uri()).append("  (dataset version ").append(manifest.source().version())
                .append(')').append(System.lineSeparator());
        text.append("  output      ").append(outputUri).append(System.lineSeparator());
        ShardManifest.Recipe recipe = manifest.recipe();
        text.append(String.format(Locale.ROOT, "  recipe      %dx%d %s, %d copies per train image%s, jitter %s, hue %s, saturation %s,"
                        + " exposure %s, flip %s, seed %d, JPEG quality %d%n",
                manifest.input().width(), manifest.input().height(), manifest.input().resizeMode(), recipe.copies(),
                recipe.includeOriginal() ? " (copy 0 the original)" : "", recipe.jitter(), recipe.hue(), recipe.saturation(),
                recipe.exposure(), recipe.flip(), manifest.seed(), recipe.jpegQuality()));
        for (Map.Entry<String, ShardManifest.SplitCounts> entry : new TreeMap<>(manifest.splits()).entrySet()) {
            ShardManifest.SplitCounts counts = entry.getValue();
            text.append(String.format(Locale.ROOT, "  %-5s       images %d in, %d quarantined, %d samples out; boxes %d in, %d kept,"
                            + " %d dropped; %d shards, %s%n",
                    entry.getKey(), counts.images(), counts.quarantined(), counts.samples(), counts.boxesIn(), counts.boxesKept(),
                    counts.boxesDropped(), counts.shards(), bytes(counts.bytes())));
        }
        text.append(String.format(Locale.ROOT, "  total       %d samples in %d shards, %s%n", manifest.samples(), manifest.shards().size(),
                bytes(manifest.bytes())));
        if (quarantined.isEmpty()) {
            text.append("  quarantine  empty").append(System.lineSeparator());
        } else {
            text.append("  quarantine  ").append(quarantined.size()).append(" record(s), listed in ").append(outputUri).append('/')
                    .append(manifest.quarantine()).append(System.lineSeparator());
            quarantined.stream().limit(5).forEach(record -> text.append("      ").append(record.reason()).append("  ")
                    .append(record.path()).append(": ").append(record.detail()).append(System.lineSeparator()));
        }
        if (manifest.preview() != null) {
            text.append("  preview     ").append(outputUri).append('/').append(manifest.preview()).append(System.lineSeparator());
        }
        return text.toString();
    }

    static String bytes(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}

package org.yolofleet.publish.channel;

import org.yolofleet.core.release.ChannelPointer;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.publish.store.ReleaseStore;
import org.yolofleet.publish.store.StagedRelease;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * A model's complete releases, by sequence, and its channels, as {@code publish list} prints them. Reads the manifests
 * without verifying them ({@code publish verify} does); an incomplete release (no signature) is not listed.
 *
 * @param releases one line of facts per release
 * @param channels every channel pointer of the model
 */
public record ReleaseListing(String model, List<Release> releases, List<ChannelPointer> channels) {
    public ReleaseListing {
        requireNonNull(model, "model");
        releases = List.copyOf(releases);
        channels = List.copyOf(channels);
    }

    /** One release: its manifest's summary. */
    public record Release(String version, long sequence, String createdAt, String trainingRunId, double mapArea, boolean forced, int artifacts) {
    }

    public static ReleaseListing read(ReleaseStore store, String model) {
        List<Release> releases = new ArrayList<>();
        for (String version : StagedRelease.completeVersions(store, model)) {
            ReleaseManifest manifest = ReleaseManifest.fromJson(store.read(ReleaseLayout.manifest(model, version)));
            releases.add(new Release(version, manifest.sequence(), manifest.createdAt().toString(), manifest.trainingRunId(),
                    manifest.metrics().meanAveragePrecisionArea(), manifest.forced(), manifest.artifacts().size()));
        }
        releases.sort(Comparator.comparingLong(Release::sequence));
        String prefix = ReleaseLayout.CHANNELS + "/" + model;
        List<ChannelPointer> channels = new ArrayList<>();
        for (String key : store.list(prefix)) {
            if (key.endsWith(".json") && key.lastIndexOf('/') == prefix.length()) {
                channels.add(ChannelPointer.fromJson(store.read(key)));
            }
        }
        channels.sort(Comparator.comparing(ChannelPointer::channel));
        return new ReleaseListing(model, releases, channels);
    }

    public String text() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-24s %8s  %-24s %-20s %8s %6s  %s%n", "release of " + model, "sequence",
                "created", "run", "mAP@0.5", "forced", "channels"));
        for (Release release : releases) {
            List<String> serving = channels.stream().filter(pointer -> pointer.version().equals(release.version())).map(ChannelPointer::channel).toList();
            text.append(String.format(Locale.ROOT, "%-24s %8d  %-24s %-20s %8.4f %6s  %s%n", release.version(), release.sequence(), release.createdAt(),
                    release.trainingRunId(), release.mapArea(), release.forced() ? "yes" : "no", String.join(", ", serving)));
        }
        for (ChannelPointer pointer : channels) {
            text.append(String.format(Locale.ROOT, "channel %-16s -> %s (sequence %d, since %s, before: %s)%n", pointer.channel(), pointer.version(),
                    pointer.sequence(), pointer.updatedAt(), pointer.previousVersion().orElse("-")));
        }
        return text.toString();
    }
}

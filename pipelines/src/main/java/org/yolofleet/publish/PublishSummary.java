package org.yolofleet.publish;

import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.MissingArtifact;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.publish.compile.CompileOutcome;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a publish did, for the one-screen summary: the release, its signing key, the channel it moved, the faithfulness
 * figures, the gate's decision, what was and was not compiled, and where the release's model card is.
 */
public record PublishSummary(String store, ReleaseManifest manifest, String keyId, String channel, Optional<String> replaced,
                             Faithfulness.Report faithfulness, RegressionGate.Decision gate, List<CompileOutcome> compiled,
                             boolean conditionalChannelWrite, double seconds) {
    public PublishSummary {
        requireNonNull(store, "store");
        requireNonNull(manifest, "manifest");
        requireNonNull(keyId, "keyId");
        requireNonNull(channel, "channel");
        requireNonNull(replaced, "replaced");
        requireNonNull(faithfulness, "faithfulness");
        requireNonNull(gate, "gate");
        compiled = List.copyOf(compiled);
    }

    public String text() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "publish: release %s %s (sequence %d) in %s, signed by key %s, in %.1f s%n", manifest.model(),
                manifest.version(), manifest.sequence(), store, keyId, seconds));
        text.append(String.format(Locale.ROOT, "  from run %s, dataset %s%n", manifest.trainingRunId(), manifest.datasetVersion()));
        text.append(String.format(Locale.ROOT, "  val mAP@0.5 %.4f (VOC2010+ area), %.4f (VOC2007 11-point); FP16 %.4f%n",
                manifest.metrics().meanAveragePrecisionArea(), manifest.metrics().meanAveragePrecisionElevenPoint(), faithfulness.fp16Map()));
        for (ParityResult result : faithfulness.parity()) {
            text.append("  faithful: ").append(result.describe()).append('\n');
        }
        text.append("  gate: ").append(gate.reason()).append(manifest.forced() ? " (published with --force)" : "").append('\n');
        for (ArtifactEntry artifact : manifest.artifacts()) {
            text.append(String.format(Locale.ROOT, "  artifact %-26s %-16s %-5s %,12d bytes  %s%n", artifact.name(), artifact.format().key(),
                    artifact.target().map(target -> target.name().toLowerCase(Locale.ROOT)).orElse("-"), artifact.size(), artifact.producer()));
        }
        manifest.artifacts().stream().filter(artifact -> artifact.format() == ArtifactFormat.MODEL_CARD).findFirst().ifPresent(card -> text
                .append("  model card: ").append(store.endsWith("/") ? store : store + "/")
                .append(ReleaseLayout.artifact(manifest.model(), manifest.version(), card.name())).append('\n'));
        for (MissingArtifact missing : manifest.missingArtifacts()) {
            text.append(String.format(Locale.ROOT, "  not produced: %s for %s: %s%n", missing.format().key(),
                    missing.target().map(target -> target.name().toLowerCase(Locale.ROOT)).orElse("-"), missing.reason()));
        }
        text.append(String.format(Locale.ROOT, "  channel %s: %s -> %s (%s)%n", ReleaseLayout.channelPointer(manifest.model(), channel),
                replaced.orElse("(new channel)"), manifest.version(), conditionalChannelWrite ? "conditional write"
                        : "read-compare-write: this store does not honour conditional writes"));
        return text.toString();
    }
}

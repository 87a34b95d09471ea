package org.yolofleet.prepare;

import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.stage.DatasetManifest;
import org.yolofleet.stage.RunIds;
import org.yolofleet.stage.Split;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The {@code dataset.json} of a prepare run: the stage contract's {@link DatasetManifest}, filled from what prepare found. */
final class PreparedManifest {
    private PreparedManifest() {
    }

    static DatasetManifest of(PrepareConfig config, List<VocSource> sources, DatasetStatistics statistics,
                                  AnchorComputation.Anchors anchors, QuarantineStatistics quarantine, long recordsSeen,
                                  Instant started, Instant finished, String runId) {
        AnchorClusterer.Result computed = anchors.computed();
        return new DatasetManifest(
                DatasetManifest.FORMAT,
                RunIds.datasetVersion(finished, statistics.contentFingerprint()),
                runId,
                finished.toString(),
                Duration.between(started, finished).toMillis() / 1000.0,
                config.rules().classes(),
                config.rules().aliases(),
                new DatasetManifest.Input(config.modelInput().width(), config.modelInput().height(), config.modelInput().resizeMode().name().toLowerCase()),
                sources.stream().map(source -> new DatasetManifest.Source(source.name(), source.rootUri(), source.annotationFiles().size(),
                        source.imageFiles().size())).toList(),
                new DatasetManifest.Records(recordsSeen, statistics.totalImages(), quarantine.rejectedImages(), statistics.totalNegatives(),
                        statistics.totalObjects(),
                        quarantine.countBySeverity(QuarantineReason.Severity.REJECT_OBJECT),
                        quarantine.countBySeverity(QuarantineReason.Severity.WARNING)),
                statistics.splits(),
                new DatasetManifest.SplitPolicy(config.split().mode().name().toLowerCase(), config.split().valFraction(), config.split().salt()),
                new DatasetManifest.AnchorSummary(computed.anchors(), computed.anchorsText(), computed.meanIou(), anchors.fromData(),
                        computed.iterations(), computed.boxes(), List.of(AnchorComputation.VOC_DEFAULT_ANCHORS),
                        anchors.vocDefaultMeanIou()),
                quarantine.countsByReason(),
                statistics.contentFingerprint(),
                notices(config, statistics));
    }

    /** An empty val split: train validates every epoch, and refuses to start without validation images. */
    static List<String> notices(PrepareConfig config, DatasetStatistics statistics) {
        DatasetManifest.SplitCounts val = statistics.splits().get(Split.VAL.directoryName());
        if (val.images() > 0) {
            return List.of();
        }
        PrepareConfig.SplitPolicy split = config.split();
        String remedy = switch (split.mode()) {
            case HASH -> "add images or raise yolofleet.prepare.split.val-fraction (now " + split.valFraction() + ")";
            case IMAGESETS -> "list validation images in ImageSets/Main/" + split.valList() + ".txt, raise"
                    + " yolofleet.prepare.split.val-fraction (now " + split.valFraction() + ", for unlisted images) or add images";
        };
        return List.of("the val split is empty (0 of " + statistics.totalImages() + " images): train will refuse this dataset; "
                + remedy);
    }
}

package org.yolofleet.prepare;

import org.yolofleet.report.BoxSizeChart;
import org.yolofleet.report.ClassHistogramChart;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.StagedOutput;
import org.yolofleet.stage.DatasetManifest;
import org.yolofleet.stage.DatasetSchema;
import org.yolofleet.stage.Split;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The small human report of a prepared dataset under {@code report/}: a class histogram, a box-size scatter
 * with the anchors drawn (both drawn with XChart, see {@code org.yolofleet.report}), and the one-screen text summary.
 */
public final class DatasetReport {
    public static final String CLASSES_PNG = "classes.png";
    public static final String BOXES_PNG = "boxes.png";
    public static final String SUMMARY_TXT = "summary.txt";

    private DatasetReport() {
    }

    static void write(StagedOutput output, DatasetManifest manifest, DatasetStatistics statistics,
                      AnchorComputation.Anchors anchors, QuarantineStatistics quarantine) {
        String directory = DatasetSchema.REPORT_DIRECTORY + "/";
        HadoopFiles.write(output.fileSystem(), output.staged(directory + CLASSES_PNG), classHistogram(manifest).png());
        HadoopFiles.write(output.fileSystem(), output.staged(directory + BOXES_PNG), boxSizes(manifest, statistics, anchors).png());
        HadoopFiles.write(output.fileSystem(), output.staged(directory + SUMMARY_TXT),
                summary(manifest, quarantine, output.output().toString()).getBytes(StandardCharsets.UTF_8));
    }

    /** The one-screen summary printed at the end of the job. */
    public static String summary(DatasetManifest manifest, QuarantineStatistics quarantine, String outputUri) {
        StringBuilder text = new StringBuilder();
        String newline = System.lineSeparator();
        text.append(String.format(Locale.ROOT, "yolofleet prepare: done in %.1f s%n", manifest.durationSeconds()));
        text.append("  output      ").append(outputUri).append("  (dataset version ").append(manifest.version()).append(')').append(newline);
        text.append("  sources     ");
        manifest.sources().forEach(source -> text.append(source.name()).append(" (").append(source.annotationFiles())
                .append(" annotations, ").append(source.imageFiles()).append(" images)  "));
        text.append(newline);
        DatasetManifest.Records records = manifest.records();
        DatasetManifest.SplitCounts train = manifest.splits().get(Split.TRAIN.directoryName());
        DatasetManifest.SplitCounts val = manifest.splits().get(Split.VAL.directoryName());
        text.append(String.format(Locale.ROOT, "  images      %d seen, %d kept (train %d, val %d), %d rejected, %d negatives%n",
                records.seen(), records.kept(), train.images(), val.images(), records.rejected(), records.negatives()));
        text.append(String.format(Locale.ROOT, "  objects     %d kept (train %d, val %d), %d rejected, %d warnings%n",
                records.objects(), train.objects(), val.objects(), records.objectsRejected(), records.warnings()));
        manifest.notices().forEach(notice -> text.append("  WARNING     ").append(notice).append(newline));
        text.append("  per class  ");
        for (String name : manifest.classes()) {
            text.append(' ').append(name).append(' ').append(train.objectsPerClass().getOrDefault(name, 0L))
                    .append('/').append(val.objectsPerClass().getOrDefault(name, 0L));
        }
        text.append("   (train/val)").append(newline);
        DatasetManifest.AnchorSummary anchors = manifest.anchors();
        text.append(String.format(Locale.ROOT, "  anchors     %s  (grid units of %dx%d)%n", anchors.text(),
                manifest.input().width() / 32, manifest.input().height() / 32));
        text.append(String.format(Locale.ROOT, "  mean IoU    %.3f with these anchors, %.3f with the VOC defaults (%d training boxes)%n",
                anchors.meanIou(), anchors.vocDefaultMeanIou(), anchors.trainingBoxes()));
        if (quarantine.reasons().isEmpty()) {
            text.append("  quarantine  empty").append(newline);
        } else {
            text.append("  quarantine  by reason:").append(newline).append(quarantine.text(1));
        }
        text.append("  report      ").append(outputUri).append("/report/{").append(CLASSES_PNG).append(", ").append(BOXES_PNG)
                .append(", ").append(SUMMARY_TXT).append('}').append(newline);
        return text.toString();
    }

    static ClassHistogramChart classHistogram(DatasetManifest manifest) {
        return new ClassHistogramChart(manifest.classes(), manifest.splits().get(Split.TRAIN.directoryName()).objectsPerClass(),
                manifest.splits().get(Split.VAL.directoryName()).objectsPerClass());
    }

    static BoxSizeChart boxSizes(DatasetManifest manifest, DatasetStatistics statistics, AnchorComputation.Anchors anchors) {
        String legend = anchors.fromData()
                ? "anchors (k-means, " + anchors.computed().anchors().size() + ")"
                : "anchors (VOC defaults)";
        return new BoxSizeChart(manifest.classes(), statistics.boxSizeSample(), anchors.computed().anchors(), legend);
    }
}

package org.yolofleet.train;

import org.yolofleet.core.eval.ClassEvaluation;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.report.LineChart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pictures of a training run: {@code report/loss.png} and {@code report/map.png} (curves over the epochs so far,
 * rewritten after every epoch) and each checkpoint's {@code pr.png} (the precision/recall curve of every class on the
 * val split at that epoch, its AP in the legend).
 */
final class TrainReport {
    static final String DIRECTORY = "report";
    static final String LOSS_PNG = "loss.png";
    static final String MAP_PNG = "map.png";
    static final String PR_PNG = "pr.png";
    static final String STATS_HTML = "spark-training-stats.html";
    private static final int WIDTH = 720;
    private static final int HEIGHT = 420;

    private TrainReport() {
    }

    static byte[] lossChart(List<EpochMetrics> epochs) {
        double[] x = epochs.stream().mapToDouble(EpochMetrics::epoch).toArray();
        double[] loss = epochs.stream().mapToDouble(EpochMetrics::loss).toArray();
        return new LineChart("training loss (mean of the epoch's averaging rounds)", "epoch", "loss",
                List.of(new LineChart.Series("train loss", x, loss)), null, null).png(WIDTH, HEIGHT);
    }

    static byte[] mapChart(List<EpochMetrics> epochs) {
        double[] x = epochs.stream().mapToDouble(EpochMetrics::epoch).toArray();
        return new LineChart("val mAP", "epoch", "mAP", List.of(
                new LineChart.Series("mAP@0.5 (VOC2010+ area)", x, epochs.stream().mapToDouble(EpochMetrics::mapArea).toArray()),
                new LineChart.Series("mAP@0.5 (VOC2007 11-point)", x, epochs.stream().mapToDouble(EpochMetrics::mapElevenPoint).toArray()),
                new LineChart.Series("mAP@[.5:.95]", x, epochs.stream().mapToDouble(EpochMetrics::mapCoco).toArray())),
                null, LineChart.Range.UNIT).png(WIDTH, HEIGHT);
    }

    static byte[] precisionRecallChart(int epoch, Evaluation evaluation, List<String> classes) {
        List<LineChart.Series> series = new ArrayList<>();
        for (ClassEvaluation evaluated : evaluation.classes()) {
            if (!evaluated.hasGroundTruth()) {
                continue;
            }
            String name = evaluated.classId() < classes.size() ? classes.get(evaluated.classId()) : "class " + evaluated.classId();
            series.add(new LineChart.Series(String.format(Locale.ROOT, "%s (AP %.3f)", name, evaluated.areaAveragePrecision().orElseThrow()),
                    evaluated.curve().recall(), evaluated.curve().precision()));
        }
        return new LineChart("val precision/recall at IoU 0.5, epoch " + epoch, "recall", "precision", series,
                LineChart.Range.UNIT, LineChart.Range.UNIT).png(WIDTH, HEIGHT);
    }
}

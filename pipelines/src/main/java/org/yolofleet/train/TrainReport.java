package org.yolofleet.train;

import org.yolofleet.core.eval.AveragePrecisionMethod;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.report.PrecisionRecallChart;
import org.yolofleet.report.TrainingCurveChart;

import java.util.List;

/**
 * The pictures of a training run: {@code report/loss.png} and {@code report/map.png} (curves over the epochs so far,
 * rewritten after every epoch) and each checkpoint's {@code pr.png} (the precision/recall curve of every class on the
 * val split at that epoch, its AP in the legend), drawn with XChart by the charts of {@code org.yolofleet.report}.
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
        return new TrainingCurveChart("training loss (mean of the epoch's averaging rounds)", "loss",
                List.of(new TrainingCurveChart.Curve("train loss", x, loss)), false).png(WIDTH, HEIGHT);
    }

    static byte[] mapChart(List<EpochMetrics> epochs) {
        double[] x = epochs.stream().mapToDouble(EpochMetrics::epoch).toArray();
        return new TrainingCurveChart("val mAP", "mAP", List.of(
                new TrainingCurveChart.Curve("mAP@0.5 (VOC2010+ area)", x, epochs.stream().mapToDouble(EpochMetrics::mapArea).toArray()),
                new TrainingCurveChart.Curve("mAP@0.5 (VOC2007 11-point)", x, epochs.stream().mapToDouble(EpochMetrics::mapElevenPoint).toArray()),
                new TrainingCurveChart.Curve("mAP@[.5:.95]", x, epochs.stream().mapToDouble(EpochMetrics::mapCoco).toArray())),
                true).png(WIDTH, HEIGHT);
    }

    static byte[] precisionRecallChart(int epoch, Evaluation evaluation, List<String> classes) {
        return new PrecisionRecallChart("val, epoch " + epoch, evaluation, classes, AveragePrecisionMethod.VOC2010_AREA).png();
    }
}

package org.yolofleet.train;

import org.yolofleet.model.LabelCounts;
import org.yolofleet.model.RuntimeReport;

import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The end of a training run, and its one-screen text.
 *
 * @param executorRuntimes how the fast ND4J configuration stands on each executor, {@code "executor <id> (pid <pid> on
 *                         <host>): fast"} or its deviations
 * @param trainedOn        the executors that loaded and fitted minibatches, {@code "executor <id> (pid <pid> on <host>)"}:
 *                         the processes whose parameters were averaged
 */
public record TrainSummary(String output, List<String> classes, List<EpochMetrics> epochs, EpochMetrics best, long trainSamples,
                           int valImages, LabelCounts labels, TrainConfig.MasterType master, int workers, int batchSizePerWorker, boolean stoppedEarly,
                           int resumedFrom, double seconds, RuntimeReport runtime, List<String> executorRuntimes, List<String> trainedOn,
                           String trainingInput, String startedFrom) {
    public TrainSummary {
        requireNonNull(startedFrom, "startedFrom");
        requireNonNull(trainingInput, "trainingInput");
        requireNonNull(output, "output");
        classes = List.copyOf(classes);
        epochs = List.copyOf(epochs);
        requireNonNull(best, "best");
        requireNonNull(labels, "labels");
        requireNonNull(master, "master");
        requireNonNull(runtime, "runtime");
        executorRuntimes = List.copyOf(executorRuntimes);
        trainedOn = List.copyOf(trainedOn);
    }

    public EpochMetrics last() {
        return epochs.get(epochs.size() - 1);
    }

    public String text() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "train: %s%n", output));
        text.append(String.format(Locale.ROOT, "  data      %d train samples (%d objects, %d encoded, %d cell collisions, %d outside), %d val images%n",
                trainSamples, labels.objects(), labels.encoded(), labels.collisions(), labels.outside(), valImages));
        text.append(String.format(Locale.ROOT, "  master    %s, %d worker%s x batch %d%s%n",
                master == TrainConfig.MasterType.SHARED ? "gradient sharing" : "parameter averaging", workers, workers == 1 ? "" : "s", batchSizePerWorker,
                resumedFrom > 0 ? ", resumed after epoch " + resumedFrom : ""));
        text.append(String.format(Locale.ROOT, "  input     %s%n", trainingInput));
        text.append(String.format(Locale.ROOT, "  start     %s%n", startedFrom));
        text.append("  epoch   iteration  lr         loss       mAP@0.5(area)  mAP@0.5(11pt)  images/s\n");
        for (EpochMetrics epoch : epochs) {
            text.append(String.format(Locale.ROOT, "  %5d   %9d  %-9.3g  %-9.4f  %13.4f  %13.4f  %8.1f%n", epoch.epoch(), epoch.iteration(),
                    epoch.learningRate(), epoch.loss(), epoch.mapArea(), epoch.mapElevenPoint(), epoch.imagesPerSecond()));
        }
        text.append(String.format(Locale.ROOT, "  best      epoch %d: val mAP@0.5 %.4f (area), %.4f (11-point) -> best.json%s%n", best.epoch(),
                best.mapArea(), best.mapElevenPoint(), stoppedEarly ? " (stopped early)" : ""));
        text.append("  per-class AP@0.5 (area) at the best epoch:\n");
        for (int index = 0; index < classes.size(); index++) {
            double value = index < best.classAveragePrecision().size() ? best.classAveragePrecision().get(index) : Double.NaN;
            text.append(String.format(Locale.ROOT, "    %-20s %s%n", classes.get(index), Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4f", value)));
        }
        text.append(String.format(Locale.ROOT, "  time      %.1f s%n", seconds));
        text.append(String.format(Locale.ROOT, "  runtime   fast ND4J configuration on the driver: %s; on the executors: %s%n",
                runtime.isFast() ? "yes" : "no (" + String.join("; ", runtime.deviationsFromFast()) + ")",
                executorRuntimes.stream().allMatch(line -> line.endsWith(": fast")) ? "yes (" + executorRuntimes.size() + (executorRuntimes.size() == 1 ? " executor)" : " executors)")
                        : String.join(" | ", executorRuntimes)));
        text.append(String.format(Locale.ROOT, "  trained   on %d executor%s: %s%n", trainedOn.size(), trainedOn.size() == 1 ? "" : "s",
                String.join(", ", trainedOn)));
        text.append(String.format(Locale.ROOT, "  report    %s/report/{loss.png, map.png}, checkpoints/epoch-NNN/pr.png%n", output));
        return text.toString();
    }
}

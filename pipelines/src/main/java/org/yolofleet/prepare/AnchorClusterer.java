package org.yolofleet.prepare;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static java.util.Objects.requireNonNull;

/**
 * YOLOv2 anchors by k-means on box (width, height) with distance 1 − IoU (boxes compared as if they shared a
 * centre), seeded k-means++ initialisation, Lloyd iterations. The assignment step is a parameter so the same
 * loop runs over a list in tests and over a Spark RDD of all training boxes in the job.
 */
public final class AnchorClusterer {
    /** One pass over all boxes for the given centroids: per-centroid sums and the IoU of each box to its best. */
    @FunctionalInterface
    public interface AssignmentStep {
        ClusterSums assign(double[][] centroids);
    }

    /** Per-centroid sums of one assignment pass. */
    public record ClusterSums(double[] widthSums, double[] heightSums, long[] counts, double bestIouSum, long boxes)
            implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        public static ClusterSums empty(int k) {
            return new ClusterSums(new double[k], new double[k], new long[k], 0, 0);
        }

        /** Assigns every box of {@code boxes} (each {width, height}) to its nearest centroid and sums. */
        public static ClusterSums accumulate(double[][] centroids, Iterator<double[]> boxes) {
            int k = centroids.length;
            double[] widths = new double[k];
            double[] heights = new double[k];
            long[] counts = new long[k];
            double bestIouSum = 0;
            long total = 0;
            while (boxes.hasNext()) {
                double[] box = boxes.next();
                int nearest = nearest(centroids, box[0], box[1]);
                widths[nearest] += box[0];
                heights[nearest] += box[1];
                counts[nearest]++;
                bestIouSum += iou(box[0], box[1], centroids[nearest][0], centroids[nearest][1]);
                total++;
            }
            return new ClusterSums(widths, heights, counts, bestIouSum, total);
        }

        public ClusterSums plus(ClusterSums other) {
            int k = counts.length;
            double[] widths = new double[k];
            double[] heights = new double[k];
            long[] totals = new long[k];
            for (int index = 0; index < k; index++) {
                widths[index] = widthSums[index] + other.widthSums[index];
                heights[index] = heightSums[index] + other.heightSums[index];
                totals[index] = counts[index] + other.counts[index];
            }
            return new ClusterSums(widths, heights, totals, bestIouSum + other.bestIouSum, boxes + other.boxes);
        }

        public double meanBestIou() {
            return boxes == 0 ? 0 : bestIouSum / boxes;
        }
    }

    /** The clustering result: anchors sorted by area, ascending, and the mean IoU of boxes to their best anchor. */
    public record Result(List<double[]> anchors, double meanIou, int iterations, long boxes) {
        public Result {
            anchors = anchors.stream().map(double[]::clone).toList();
        }

        public String anchorsText() {
            StringBuilder text = new StringBuilder();
            for (double[] anchor : anchors) {
                if (!text.isEmpty()) {
                    text.append(", ");
                }
                text.append(String.format(Locale.ROOT, "%.2f,%.2f", anchor[0], anchor[1]));
            }
            return text.toString();
        }
    }

    private AnchorClusterer() {
    }

    /** IoU of two boxes of the given sizes placed on the same centre. */
    public static double iou(double width1, double height1, double width2, double height2) {
        double intersection = Math.min(width1, width2) * Math.min(height1, height2);
        double union = width1 * height1 + width2 * height2 - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    public static int nearest(double[][] centroids, double width, double height) {
        int best = 0;
        double bestIou = -1;
        for (int index = 0; index < centroids.length; index++) {
            double value = iou(width, height, centroids[index][0], centroids[index][1]);
            if (value > bestIou) {
                bestIou = value;
                best = index;
            }
        }
        return best;
    }

    /** k-means++: the first centre uniformly, each next one with probability proportional to (1 − IoU)². */
    public static double[][] initialise(List<double[]> sample, int k, long seed) {
        requireNonNull(sample, "sample");
        if (sample.isEmpty()) {
            throw new IllegalArgumentException("no boxes to cluster");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        Random random = new Random(seed);
        double[][] centroids = new double[k][];
        centroids[0] = sample.get(random.nextInt(sample.size())).clone();
        double[] distances = new double[sample.size()];
        for (int chosen = 1; chosen < k; chosen++) {
            double total = 0;
            for (int index = 0; index < sample.size(); index++) {
                double[] box = sample.get(index);
                double best = Double.MAX_VALUE;
                for (int centre = 0; centre < chosen; centre++) {
                    best = Math.min(best, 1 - iou(box[0], box[1], centroids[centre][0], centroids[centre][1]));
                }
                distances[index] = best * best;
                total += distances[index];
            }
            int pick = sample.size() - 1;
            if (total > 0) {
                double target = random.nextDouble() * total;
                for (int index = 0; index < sample.size(); index++) {
                    target -= distances[index];
                    if (target <= 0) {
                        pick = index;
                        break;
                    }
                }
            } else {
                pick = random.nextInt(sample.size());
            }
            centroids[chosen] = sample.get(pick).clone();
        }
        return centroids;
    }

    /** Lloyd iterations from {@code initial} until no centroid moves (1e-9) or {@code maxIterations}. */
    public static Result cluster(double[][] initial, AssignmentStep step, int maxIterations) {
        double[][] centroids = Arrays.stream(initial).map(double[]::clone).toArray(double[][]::new);
        int iterations = 0;
        ClusterSums sums = step.assign(centroids);
        while (iterations < maxIterations) {
            iterations++;
            double movement = 0;
            for (int index = 0; index < centroids.length; index++) {
                if (sums.counts()[index] == 0) {
                    continue; // an empty cluster keeps its centre
                }
                double width = sums.widthSums()[index] / sums.counts()[index];
                double height = sums.heightSums()[index] / sums.counts()[index];
                movement = Math.max(movement, Math.abs(width - centroids[index][0]) + Math.abs(height - centroids[index][1]));
                centroids[index] = new double[] {width, height};
            }
            sums = step.assign(centroids);
            if (movement < 1e-9) {
                break;
            }
        }
        List<double[]> sorted = new ArrayList<>(Arrays.asList(centroids));
        sorted.sort(Comparator.comparingDouble(anchor -> anchor[0] * anchor[1]));
        return new Result(sorted, sums.meanBestIou(), iterations, sums.boxes());
    }

    /** The assignment step over an in-memory list (tests, small data). */
    public static AssignmentStep overList(List<double[]> boxes) {
        return centroids -> ClusterSums.accumulate(centroids, boxes.iterator());
    }

    /** Mean IoU of the boxes to their best anchor, for fixed anchors (e.g. the VOC defaults). */
    public static double meanIou(double[][] anchors, AssignmentStep step) {
        return step.assign(anchors).meanBestIou();
    }
}

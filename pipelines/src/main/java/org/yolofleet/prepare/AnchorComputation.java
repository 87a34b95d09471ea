package org.yolofleet.prepare;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.yolofleet.config.ModelInput;
import org.yolofleet.stage.Split;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Computes the anchors of a prepared dataset with Spark: every training box becomes (width, height) in grid
 * units of the configured input (13×13 cells at 416), clustered by {@link AnchorClusterer}; the VOC default
 * anchors are scored on the same boxes for comparison.
 */
public final class AnchorComputation {
    /** Darknet's yolov2-tiny-voc.cfg anchors, in grid units. */
    public static final double[][] VOC_DEFAULT_ANCHORS = {
            {1.08, 1.19}, {3.42, 4.41}, {6.63, 11.38}, {9.42, 5.11}, {16.62, 10.52}};
    static final int INITIALISATION_SAMPLE = 20_000;

    /** The computed anchors (sorted by area) and the VOC defaults' mean IoU on the same boxes. */
    public record Anchors(AnchorClusterer.Result computed, double vocDefaultMeanIou, boolean fromData) {
    }

    private AnchorComputation() {
    }

    public static Anchors compute(Dataset<Row> images, PrepareConfig config) {
        ModelInput input = config.modelInput();
        JavaRDD<double[]> boxes = images.filter(col("split").equalTo(Split.TRAIN.directoryName()))
                .select("width", "height", "objects")
                .javaRDD()
                .flatMap(row -> gridBoxes(row, input).iterator())
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            AnchorClusterer.AssignmentStep step = centroids -> boxes
                    .mapPartitions(partition -> List.of(AnchorClusterer.ClusterSums.accumulate(centroids, partition)).iterator())
                    .fold(AnchorClusterer.ClusterSums.empty(centroids.length), AnchorClusterer.ClusterSums::plus);
            long count = boxes.count();
            if (count == 0) {
                List<double[]> defaults = List.of(VOC_DEFAULT_ANCHORS);
                return new Anchors(new AnchorClusterer.Result(defaults, 0, 0, 0), 0, false);
            }
            List<double[]> sample = boxes.takeOrdered(INITIALISATION_SAMPLE, new SampleOrder(config.anchors().seed()));
            double[][] initial = AnchorClusterer.initialise(sample, config.anchors().count(), config.anchors().seed());
            AnchorClusterer.Result result = AnchorClusterer.cluster(initial, step, config.anchors().maxIterations());
            return new Anchors(result, AnchorClusterer.meanIou(VOC_DEFAULT_ANCHORS, step), true);
        } finally {
            boxes.unpersist(false);
        }
    }

    /**
     * A seeded pseudo-random order of boxes that depends only on the box sizes and the seed, so the k-means++
     * sample, and with it the anchors, do not change with the partitioning of the data.
     */
    static final class SampleOrder implements Comparator<double[]>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final long seed;

        SampleOrder(long seed) {
            this.seed = seed;
        }

        @Override
        public int compare(double[] left, double[] right) {
            int byHash = Long.compare(hash(left), hash(right));
            if (byHash != 0) {
                return byHash;
            }
            int byWidth = Double.compare(left[0], right[0]);
            return byWidth != 0 ? byWidth : Double.compare(left[1], right[1]);
        }

        private long hash(double[] box) {
            long value = seed ^ Double.doubleToLongBits(box[0]) * 0x9E3779B97F4A7C15L ^ Double.doubleToLongBits(box[1]);
            value = (value ^ (value >>> 30)) * 0xBF58476D1CE4E5B9L; // splitmix64 finaliser
            value = (value ^ (value >>> 27)) * 0x94D049BB133111EBL;
            return value ^ (value >>> 31);
        }
    }

    /** The boxes of one image row (width, height, objects; read by name) as {width, height} in grid units, as the network will see them. */
    static List<double[]> gridBoxes(Row row, ModelInput input) {
        int width = row.getInt(row.fieldIndex("width"));
        int height = row.getInt(row.fieldIndex("height"));
        List<Row> objects = row.getList(row.fieldIndex("objects"));
        List<double[]> result = new ArrayList<>(objects.size());
        for (Row object : objects) {
            double boxWidth = object.getDouble(object.fieldIndex("xmax")) - object.getDouble(object.fieldIndex("xmin"));
            double boxHeight = object.getDouble(object.fieldIndex("ymax")) - object.getDouble(object.fieldIndex("ymin"));
            result.add(toGrid(boxWidth, boxHeight, width, height, input));
        }
        return result;
    }

    /** A box of the given pixel size in an image of the given size, in grid cells of the network input. */
    public static double[] toGrid(double boxWidth, double boxHeight, int imageWidth, int imageHeight, ModelInput input) {
        double[] scale = switch (input.resizeMode()) {
            case LETTERBOX -> {
                double common = Math.min((double) input.width() / imageWidth, (double) input.height() / imageHeight);
                yield new double[] {common, common};
            }
            case RESIZE -> new double[] {(double) input.width() / imageWidth, (double) input.height() / imageHeight};
        };
        return new double[] {boxWidth * scale[0] / ModelInput.STRIDE, boxHeight * scale[1] / ModelInput.STRIDE};
    }
}

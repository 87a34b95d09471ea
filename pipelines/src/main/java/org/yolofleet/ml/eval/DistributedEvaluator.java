package org.yolofleet.ml.eval;

import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.eval.ClassEvaluation;
import org.yolofleet.core.eval.ClassMatches;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.eval.EvaluationSettings;
import org.yolofleet.core.eval.MatchOutcome;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.core.eval.VocEvaluator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * {@link VocEvaluator}'s numbers (VOC2007 11-point and VOC2010+ AP at the settings' IoU, COCO's AP@[.5:.95], per class
 * and their means) for detections and ground truth too large for one JVM: a detections DataFrame
 * ({@link DetectionFrame#SCHEMA}) and a ground-truth DataFrame ({@link GroundTruthFrame#SCHEMA}).
 *
 * <p>The executors group both by image and match each image's detections, class by class, with
 * {@link VocEvaluator#match}; only one small row per detection (class, score, its place in the ranking and its outcomes)
 * and the per-class ground-truth counts reach the driver, which concatenates the outcomes in rank order and computes
 * the curves and APs with {@link VocEvaluator#evaluateMatches}. Both inputs are persisted (memory and disk) for the
 * call, so a costly detections frame (a detector's output) is computed once. Matching and AP are the single-JVM evaluator's own code,
 * so the result equals {@code VocEvaluator.evaluate} on the same detections listed in {@link #RANKING} order.
 *
 * <p>Equal scores: the single-JVM evaluator keeps its input order, which a DataFrame does not have (it changes with
 * partitioning). Here equal scores rank by image id (Unicode code point order, Spark's string order) and, within an
 * image, by box ({@code xmin, ymin, xmax, ymax}); that order does not depend on how the frames are partitioned.
 */
public final class DistributedEvaluator {
    /**
     * The ranking of detections: descending score, then image id by code point, then the box's corners ascending.
     * Listing predictions in this order gives {@link VocEvaluator} this evaluator's treatment of ties.
     */
    public static final Comparator<Prediction> RANKING = Comparator
            .comparingDouble((Prediction prediction) -> prediction.detection().score()).reversed()
            .thenComparing(Prediction::imageId, DistributedEvaluator::compareCodePoints)
            .thenComparingDouble(prediction -> prediction.detection().box().xmin())
            .thenComparingDouble(prediction -> prediction.detection().box().ymin())
            .thenComparingDouble(prediction -> prediction.detection().box().xmax())
            .thenComparingDouble(prediction -> prediction.detection().box().ymax());

    private static final String POSITIVES = "positives";
    private static final String DIFFICULT = "difficult";
    private static final String INVALID = "invalid";

    private final int classCount;
    private final EvaluationSettings settings;

    /** An evaluator with the VOC devkit's settings, {@link EvaluationSettings#VOC}. */
    public DistributedEvaluator(int classCount) {
        this(classCount, EvaluationSettings.VOC);
    }

    public DistributedEvaluator(int classCount, EvaluationSettings settings) {
        if (classCount < 1) {
            throw new IllegalArgumentException("class count must be at least 1, got " + classCount);
        }
        this.classCount = classCount;
        this.settings = requireNonNull(settings, "settings");
    }

    /**
     * Evaluates the detections against the ground truth: per class and mean, as {@link VocEvaluator#evaluate}.
     *
     * @throws YoloFleetException ({@link ErrorCode#BAD_DATASET}) when a frame lacks a column, or has a row with a null, a
     *         class id outside {@code 0 .. classCount - 1}, a score outside {@code [0, 1]} or a box that is not finite
     *         with {@code xmin <= xmax} and {@code ymin <= ymax}
     */
    public Evaluation evaluate(Dataset<Row> detections, Dataset<Row> groundTruth) {
        requireNonNull(detections, "detections");
        requireNonNull(groundTruth, "groundTruth");
        Dataset<Row> predictions = DetectionFrame.normalise(detections).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> truths = GroundTruthFrame.normalise(groundTruth).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> matched = null;
        try {
            int[][] counts = groundTruthCounts(truths);
            requireValidDetections(predictions);
            matched = predictions.groupByKey((MapFunction<Row, String>) row -> row.getAs(DetectionFrame.IMAGE_ID), Encoders.STRING())
                    .cogroup(truths.groupByKey((MapFunction<Row, String>) row -> row.getAs(GroundTruthFrame.IMAGE_ID), Encoders.STRING()),
                            new ImageMatcher(classCount, settings), Encoders.row(ImageMatcher.SCHEMA))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            List<Row> ranked = matched
                    .orderBy(col(ImageMatcher.CLASS_ID), col(ImageMatcher.SCORE).desc(), col(ImageMatcher.IMAGE_ID), col(ImageMatcher.RANK_IN_IMAGE))
                    .select(ImageMatcher.CLASS_ID, ImageMatcher.SCORE, ImageMatcher.VOC, ImageMatcher.COCO)
                    .collectAsList();
            return new Evaluation(settings, classEvaluations(counts, ranked));
        } finally {
            predictions.unpersist(false);
            truths.unpersist(false);
            if (matched != null) {
                matched.unpersist(false);
            }
        }
    }

    /** Each class's evaluation from its ground-truth counts and its run of the ranked rows (sorted by class first). */
    private List<ClassEvaluation> classEvaluations(int[][] counts, List<Row> ranked) {
        List<ClassEvaluation> classes = new ArrayList<>(classCount);
        int next = 0;
        for (int classId = 0; classId < classCount; classId++) {
            int end = next;
            while (end < ranked.size() && ranked.get(end).<Integer>getAs(ImageMatcher.CLASS_ID) == classId) {
                end++;
            }
            classes.add(VocEvaluator.evaluateMatches(classMatches(classId, counts[classId], ranked.subList(next, end))));
            next = end;
        }
        return classes;
    }

    /** The class's matches: its rows of the ranking, in order, and its ground-truth counts. */
    private static ClassMatches classMatches(int classId, int[] counts, List<Row> rows) {
        double[] scores = new double[rows.size()];
        MatchOutcome[] voc = new MatchOutcome[rows.size()];
        MatchOutcome[][] coco = new MatchOutcome[ClassMatches.COCO_THRESHOLDS][rows.size()];
        for (int rank = 0; rank < rows.size(); rank++) {
            Row row = rows.get(rank);
            scores[rank] = row.getAs(ImageMatcher.SCORE);
            voc[rank] = ImageMatcher.outcome(row.<Byte>getAs(ImageMatcher.VOC));
            byte[] codes = row.getAs(ImageMatcher.COCO);
            for (int threshold = 0; threshold < ClassMatches.COCO_THRESHOLDS; threshold++) {
                coco[threshold][rank] = ImageMatcher.outcome(codes[threshold]);
            }
        }
        return new ClassMatches(classId, counts[0], counts[1], scores, voc, coco);
    }

    /** Per class, the non-difficult and the difficult ground truths; refuses invalid rows. One pass over the frame. */
    private int[][] groundTruthCounts(Dataset<Row> truths) {
        Column valid = coalesce(col(GroundTruthFrame.IMAGE_ID).isNotNull()
                .and(col(GroundTruthFrame.DIFFICULT).isNotNull())
                .and(validBox(GroundTruthFrame.XMIN, GroundTruthFrame.YMIN, GroundTruthFrame.XMAX, GroundTruthFrame.YMAX)), lit(false));
        List<Row> perClass = truths.groupBy(col(GroundTruthFrame.CLASS_ID))
                .agg(sum(when(col(GroundTruthFrame.DIFFICULT), 0).otherwise(1)).as(POSITIVES),
                        sum(when(col(GroundTruthFrame.DIFFICULT), 1).otherwise(0)).as(DIFFICULT),
                        sum(when(valid, 0).otherwise(1)).as(INVALID))
                .collectAsList();
        int[][] counts = new int[classCount][2];
        for (Row row : perClass) {
            long invalid = row.<Long>getAs(INVALID);
            if (invalid > 0) {
                throw invalidRows("ground-truth", invalid, truths.where(not(valid)));
            }
            Integer classId = row.getAs(GroundTruthFrame.CLASS_ID);
            if (classId == null || classId < 0 || classId >= classCount) {
                throw new YoloFleetException(ErrorCode.BAD_DATASET, "ground truth has class id " + classId + " (in "
                        + (row.<Long>getAs(POSITIVES) + row.<Long>getAs(DIFFICULT)) + " rows), not in 0 .. " + (classCount - 1)
                        + ": evaluate with the dataset's class count, or drop those rows");
            }
            counts[classId][0] = Math.toIntExact(row.<Long>getAs(POSITIVES));
            counts[classId][1] = Math.toIntExact(row.<Long>getAs(DIFFICULT));
        }
        return counts;
    }

    /** Refuses detections with nulls, class ids out of range, scores outside [0, 1] or invalid boxes. One pass. */
    private void requireValidDetections(Dataset<Row> predictions) {
        Column valid = coalesce(col(DetectionFrame.IMAGE_ID).isNotNull()
                .and(col(DetectionFrame.CLASS_ID).geq(0)).and(col(DetectionFrame.CLASS_ID).lt(classCount))
                .and(col(DetectionFrame.SCORE).geq(0.0)).and(col(DetectionFrame.SCORE).leq(1.0))
                .and(validBox(DetectionFrame.XMIN, DetectionFrame.YMIN, DetectionFrame.XMAX, DetectionFrame.YMAX)), lit(false));
        Row summary = predictions.agg(sum(when(valid, 0).otherwise(1)).as(INVALID)).first();
        if (!summary.isNullAt(0) && summary.<Long>getAs(INVALID) > 0) {
            throw invalidRows("detection", summary.getAs(INVALID), predictions.where(not(valid)));
        }
    }

    private static Column validBox(String xmin, String ymin, String xmax, String ymax) {
        Column finite = lit(true);
        for (String corner : new String[] {xmin, ymin, xmax, ymax}) {
            // NaN compares above infinity in Spark, so this is false for NaN, infinities and null
            finite = finite.and(abs(col(corner)).lt(Double.POSITIVE_INFINITY));
        }
        return finite.and(col(xmax).geq(col(xmin))).and(col(ymax).geq(col(ymin)));
    }

    private YoloFleetException invalidRows(String what, long count, Dataset<Row> invalid) {
        Row example = invalid.first();
        return new YoloFleetException(ErrorCode.BAD_DATASET, count + " " + what + " rows are invalid, e.g. " + example
                + ": each needs an image id, a class id in 0 .. " + (classCount - 1)
                + (what.equals("detection") ? ", a score in [0, 1]" : ", the difficult flag")
                + " and a finite box with xmin <= xmax and ymin <= ymax; fix or drop them before evaluating");
    }

    /** Compares strings by Unicode code point, as Spark orders strings (by their UTF-8 bytes). */
    static int compareCodePoints(String first, String second) {
        int firstIndex = 0;
        int secondIndex = 0;
        while (firstIndex < first.length() && secondIndex < second.length()) {
            int firstCodePoint = first.codePointAt(firstIndex);
            int secondCodePoint = second.codePointAt(secondIndex);
            if (firstCodePoint != secondCodePoint) {
                return Integer.compare(firstCodePoint, secondCodePoint);
            }
            firstIndex += Character.charCount(firstCodePoint);
            secondIndex += Character.charCount(secondCodePoint);
        }
        return Integer.compare(first.length() - firstIndex, second.length() - secondIndex);
    }
}

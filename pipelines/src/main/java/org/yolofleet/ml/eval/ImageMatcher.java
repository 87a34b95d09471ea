package org.yolofleet.ml.eval;

import org.apache.spark.api.java.function.CoGroupFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.yolofleet.core.eval.ClassMatches;
import org.yolofleet.core.eval.EvaluationSettings;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.eval.MatchOutcome;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.core.eval.VocEvaluator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The executors' half of {@link DistributedEvaluator}: matches one image's detections to its ground truth, class by
 * class, with {@link VocEvaluator#match} (the single-JVM evaluator's own matching), the detections ranked by
 * {@link DistributedEvaluator#RANKING}. Emits one {@link #SCHEMA} row per detection: what the driver needs to rank it
 * among all images ({@code score}, {@code imageId}, {@code rankInImage}) and its outcomes, one byte each.
 */
final class ImageMatcher implements CoGroupFunction<String, Row, Row, Row> {
    static final String CLASS_ID = "classId";
    static final String SCORE = "score";
    static final String IMAGE_ID = "imageId";
    static final String RANK_IN_IMAGE = "rankInImage";
    static final String VOC = "voc";
    static final String COCO = "coco";

    static final StructType SCHEMA = new StructType(new StructField[] {
            DataTypes.createStructField(CLASS_ID, DataTypes.IntegerType, false),
            DataTypes.createStructField(SCORE, DataTypes.DoubleType, false),
            DataTypes.createStructField(IMAGE_ID, DataTypes.StringType, false),
            DataTypes.createStructField(RANK_IN_IMAGE, DataTypes.IntegerType, false),
            DataTypes.createStructField(VOC, DataTypes.ByteType, false),
            DataTypes.createStructField(COCO, DataTypes.BinaryType, false)});

    private static final long serialVersionUID = 1L;

    private final int classCount;
    private final double iouThreshold;
    private final boolean plusOnePixel;
    private final int cocoMaxDetectionsPerImage;

    ImageMatcher(int classCount, EvaluationSettings settings) {
        this.classCount = classCount;
        this.iouThreshold = settings.iouThreshold();
        this.plusOnePixel = settings.plusOnePixel();
        this.cocoMaxDetectionsPerImage = settings.cocoMaxDetectionsPerImage();
    }

    @Override
    public Iterator<Row> call(String imageId, Iterator<Row> detectionRows, Iterator<Row> truthRows) {
        Map<Integer, List<Prediction>> predictionsByClass = new TreeMap<>();
        while (detectionRows.hasNext()) {
            Prediction prediction = DetectionFrame.prediction(detectionRows.next());
            predictionsByClass.computeIfAbsent(prediction.detection().classId(), classId -> new ArrayList<>()).add(prediction);
        }
        if (predictionsByClass.isEmpty()) {
            return List.<Row>of().iterator();
        }
        Map<Integer, List<GroundTruth>> truthsByClass = new TreeMap<>();
        while (truthRows.hasNext()) {
            GroundTruth truth = GroundTruthFrame.groundTruth(truthRows.next());
            truthsByClass.computeIfAbsent(truth.classId(), classId -> new ArrayList<>()).add(truth);
        }
        VocEvaluator evaluator = new VocEvaluator(classCount, new EvaluationSettings(iouThreshold, plusOnePixel, cocoMaxDetectionsPerImage));
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Integer, List<Prediction>> entry : predictionsByClass.entrySet()) {
            List<Prediction> predictions = entry.getValue();
            predictions.sort(DistributedEvaluator.RANKING);
            ClassMatches matches = evaluator.match(entry.getKey(), truthsByClass.getOrDefault(entry.getKey(), List.of()), predictions);
            double[] scores = matches.scores();
            MatchOutcome[] voc = matches.vocOutcomes();
            MatchOutcome[][] coco = matches.cocoOutcomes();
            for (int rank = 0; rank < scores.length; rank++) {
                byte[] cocoCodes = new byte[ClassMatches.COCO_THRESHOLDS];
                for (int threshold = 0; threshold < cocoCodes.length; threshold++) {
                    cocoCodes[threshold] = code(coco[threshold][rank]);
                }
                rows.add(RowFactory.create(entry.getKey(), scores[rank], imageId, rank, code(voc[rank]), cocoCodes));
            }
        }
        return rows.iterator();
    }

    /** An outcome as one byte: 0 for none (a detection beyond COCO's per-image cap), else its ordinal plus one. */
    static byte code(MatchOutcome outcome) {
        return (byte) (outcome == null ? 0 : outcome.ordinal() + 1);
    }

    /** The outcome of a {@link #code}. */
    static MatchOutcome outcome(byte code) {
        return code == 0 ? null : MatchOutcome.values()[code - 1];
    }
}

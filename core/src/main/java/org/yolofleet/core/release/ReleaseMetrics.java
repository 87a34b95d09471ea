package org.yolofleet.core.release;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yolofleet.core.eval.ClassEvaluation;
import org.yolofleet.core.eval.Evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * How good the released model is on the validation set, as the publish stage measured it: VOC mAP at
 * {@code iouThreshold} (0.5) by both VOC methods, per class, and the mAP of the float16 model the Myriad chips run.
 *
 * @param iouThreshold the IoU at which a detection matches a ground truth
 * @param meanAveragePrecisionArea VOC2010+ mAP (area under the precision envelope)
 * @param meanAveragePrecisionElevenPoint VOC2007 11-point mAP
 * @param fp16MeanAveragePrecisionArea VOC2010+ mAP of the float16 model; empty when no float16 model was evaluated
 * @param classes one entry per class, in class order
 */
public record ReleaseMetrics(double iouThreshold, double meanAveragePrecisionArea, double meanAveragePrecisionElevenPoint,
                             OptionalDouble fp16MeanAveragePrecisionArea, List<ClassMetrics> classes) {
    public ReleaseMetrics {
        if (!(iouThreshold > 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("iouThreshold must be in (0, 1], got " + iouThreshold);
        }
        requireFraction(OptionalDouble.of(meanAveragePrecisionArea), "meanAveragePrecisionArea");
        requireFraction(OptionalDouble.of(meanAveragePrecisionElevenPoint), "meanAveragePrecisionElevenPoint");
        requireFraction(requireNonNull(fp16MeanAveragePrecisionArea, "fp16MeanAveragePrecisionArea"), "fp16MeanAveragePrecisionArea");
        classes = List.copyOf(requireNonNull(classes, "classes"));
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("metrics need at least one class");
        }
    }

    /**
     * The metrics of an evaluation of the float32 model, with the float16 model's area mAP when there is one;
     * {@link IllegalArgumentException} when the evaluation has no mAP (no class had positives) or the names do not fit.
     */
    public static ReleaseMetrics of(Evaluation evaluation, List<String> classNames, OptionalDouble fp16MeanAveragePrecisionArea) {
        requireNonNull(evaluation, "evaluation");
        requireNonNull(classNames, "classNames");
        if (classNames.size() != evaluation.classes().size()) {
            throw new IllegalArgumentException("the evaluation has " + evaluation.classes().size() + " classes, got " + classNames.size() + " class names");
        }
        List<ClassMetrics> classes = new ArrayList<>(classNames.size());
        for (ClassEvaluation classEvaluation : evaluation.classes()) {
            classes.add(new ClassMetrics(classNames.get(classEvaluation.classId()), classEvaluation.areaAveragePrecision(),
                    classEvaluation.elevenPointAveragePrecision()));
        }
        double area = evaluation.areaMeanAveragePrecision()
                .orElseThrow(() -> new IllegalArgumentException("the evaluation has no mAP: no class has positives"));
        return new ReleaseMetrics(evaluation.settings().iouThreshold(), area, evaluation.elevenPointMeanAveragePrecision().orElseThrow(),
                fp16MeanAveragePrecisionArea, classes);
    }

    static void requireFraction(OptionalDouble value, String what) {
        if (value.isPresent() && !(value.getAsDouble() >= 0 && value.getAsDouble() <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1], got " + value.getAsDouble());
        }
    }

    static void put(ObjectNode json, String name, OptionalDouble value) {
        if (value.isPresent()) {
            json.put(name, value.getAsDouble());
        }
        else {
            json.putNull(name);
        }
    }

    void write(ObjectNode json) {
        json.put("iouThreshold", iouThreshold);
        json.put("meanAveragePrecisionArea", meanAveragePrecisionArea);
        json.put("meanAveragePrecisionElevenPoint", meanAveragePrecisionElevenPoint);
        put(json, "fp16MeanAveragePrecisionArea", fp16MeanAveragePrecisionArea);
        ArrayNode array = json.putArray("classes");
        for (ClassMetrics metrics : classes) {
            metrics.write(array.addObject());
        }
    }

    static ReleaseMetrics read(JsonFields json) {
        double iouThreshold = json.number("iouThreshold");
        double area = json.number("meanAveragePrecisionArea");
        double elevenPoint = json.number("meanAveragePrecisionElevenPoint");
        OptionalDouble fp16 = json.optionalNumber("fp16MeanAveragePrecisionArea");
        List<ClassMetrics> classes = json.objects("classes").stream().map(ClassMetrics::read).toList();
        return json.build(() -> new ReleaseMetrics(iouThreshold, area, elevenPoint, fp16, classes));
    }
}

package org.yolofleet.core.eval;

import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The result of {@link VocEvaluator}: one {@link ClassEvaluation} per class and the means over the classes that have
 * positives. Classes without positives have undefined AP and are left out of the means (listed by
 * {@link #classesWithoutGroundTruth()}); when no class has positives every mean is empty.
 *
 * @param settings how detections were matched
 * @param classes one entry per class, in class order
 */
public record Evaluation(EvaluationSettings settings, List<ClassEvaluation> classes) {
    public Evaluation {
        requireNonNull(settings, "settings");
        classes = List.copyOf(requireNonNull(classes, "classes"));
        for (int index = 0; index < classes.size(); index++) {
            if (classes.get(index).classId() != index) {
                throw new IllegalArgumentException("class evaluations must be in class order, got class " + classes.get(index).classId() + " at " + index);
            }
        }
    }

    /** VOC mAP at the settings' IoU threshold by the given method. */
    public OptionalDouble meanAveragePrecision(AveragePrecisionMethod method) {
        return mean(evaluation -> evaluation.averagePrecision(method));
    }

    /** VOC2007 11-point mAP. */
    public OptionalDouble elevenPointMeanAveragePrecision() {
        return meanAveragePrecision(AveragePrecisionMethod.VOC2007_ELEVEN_POINT);
    }

    /** VOC2010+ mAP, the area under the precision envelope. */
    public OptionalDouble areaMeanAveragePrecision() {
        return meanAveragePrecision(AveragePrecisionMethod.VOC2010_AREA);
    }

    /** COCO-style mAP@[.5:.95]. */
    public OptionalDouble cocoMeanAveragePrecision() {
        return mean(ClassEvaluation::cocoAveragePrecision);
    }

    /** The ids of the classes left out of the means because they have no positives. */
    public List<Integer> classesWithoutGroundTruth() {
        return classes.stream()
                .filter(evaluation -> !evaluation.hasGroundTruth())
                .map(ClassEvaluation::classId)
                .toList();
    }

    private OptionalDouble mean(Function<ClassEvaluation, OptionalDouble> averagePrecision) {
        return classes.stream()
                .map(averagePrecision)
                .filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble)
                .average();
    }
}

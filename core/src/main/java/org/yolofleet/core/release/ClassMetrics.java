package org.yolofleet.core.release;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * One class's average precision in a release's metrics; empty (JSON {@code null}) for a class the validation set has no
 * positives of, whose AP is undefined (see {@code core.eval.ClassEvaluation}).
 *
 * @param className the class name
 * @param averagePrecisionArea VOC2010+ AP, the area under the precision envelope
 * @param averagePrecisionElevenPoint VOC2007 11-point AP
 */
public record ClassMetrics(String className, OptionalDouble averagePrecisionArea, OptionalDouble averagePrecisionElevenPoint) {
    public ClassMetrics {
        ArtifactEntry.requireText(className, "className");
        ReleaseMetrics.requireFraction(requireNonNull(averagePrecisionArea, "averagePrecisionArea"), className + " averagePrecisionArea");
        ReleaseMetrics.requireFraction(requireNonNull(averagePrecisionElevenPoint, "averagePrecisionElevenPoint"),
                className + " averagePrecisionElevenPoint");
        if (averagePrecisionArea.isPresent() != averagePrecisionElevenPoint.isPresent()) {
            throw new IllegalArgumentException("class " + className + " has one average precision but not the other");
        }
    }

    void write(ObjectNode json) {
        json.put("className", className);
        ReleaseMetrics.put(json, "averagePrecisionArea", averagePrecisionArea);
        ReleaseMetrics.put(json, "averagePrecisionElevenPoint", averagePrecisionElevenPoint);
    }

    static ClassMetrics read(JsonFields json) {
        String className = json.text("className");
        OptionalDouble area = json.optionalNumber("averagePrecisionArea");
        OptionalDouble elevenPoint = json.optionalNumber("averagePrecisionElevenPoint");
        return json.build(() -> new ClassMetrics(className, area, elevenPoint));
    }
}

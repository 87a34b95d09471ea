package org.yolofleet.publish.report;

import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.eval.EvaluationSettings;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.core.eval.VocEvaluator;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.DecodeSpec;
import org.yolofleet.core.release.DecodeThresholds;
import org.yolofleet.core.release.DeviceTarget;
import org.yolofleet.core.release.MissingArtifact;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.ReleaseMetrics;
import org.yolofleet.detect.DetectFixtures;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A release's manifest and evaluation for the model card tests, with class names a user could type: markup, an
 * ampersand and quotes, which the card must show as text.
 */
final class ReportFixtures {
    /** Three classes; the first two would be markup if written unescaped. */
    static final List<String> CLASSES = List.of("<script>alert('x')</script>", "R&D \"cells\"", "Platelets");
    static final ArtifactEntry ONNX = new ArtifactEntry("model.onnx", ArtifactFormat.ONNX_FP32, Optional.of(DeviceTarget.CPU), "ab".repeat(32),
            63_091_686L, "yolofleet", "0.1.0");
    static final ArtifactEntry DECODE = new ArtifactEntry("decode.json", ArtifactFormat.DECODE_SPEC, Optional.empty(), "cd".repeat(32), 3_209L,
            "yolofleet", "0.1.0");
    static final MissingArtifact NO_GRAPH = new MissingArtifact(ArtifactFormat.NCS_GRAPH, Optional.of(DeviceTarget.NCS),
            "ncsdk: mvNCCompile not found on PATH");

    private ReportFixtures() {}

    /**
     * Class 0: 4 objects, 5 ranked detections (hit, miss, hit, hit, miss) — a curve of 5 points; class 1: 2 objects, one
     * found; class 2: no objects at all (no AP, no curve).
     */
    static Evaluation evaluation() {
        List<GroundTruth> truths = new ArrayList<>();
        List<Prediction> predictions = new ArrayList<>();
        for (int image = 0; image < 4; image++) {
            truths.add(new GroundTruth("image-" + image, 0, new BoundingBox(10, 10, 50, 50), false));
        }
        double[] scores = {0.9, 0.8, 0.7, 0.6, 0.5};
        boolean[] hits = {true, false, true, true, false};
        int image = 0;
        for (int rank = 0; rank < scores.length; rank++) {
            BoundingBox box = hits[rank] ? new BoundingBox(10, 10, 50, 50) : new BoundingBox(100, 100, 140, 140);
            predictions.add(new Prediction("image-" + (hits[rank] ? image++ : 0), new Detection(0, scores[rank], box)));
        }
        truths.add(new GroundTruth("image-0", 1, new BoundingBox(60, 10, 90, 40), false));
        truths.add(new GroundTruth("image-1", 1, new BoundingBox(60, 10, 90, 40), false));
        predictions.add(new Prediction("image-0", new Detection(1, 0.7, new BoundingBox(60, 10, 90, 40))));
        return new VocEvaluator(CLASSES.size(), EvaluationSettings.VOC.withPlusOnePixel(false)).evaluate(truths, predictions);
    }

    static DecodeSpec decode() {
        return DecodeSpec.from(DetectFixtures.smallTinyYolo(CLASSES.size()), CLASSES, new DecodeThresholds(0.3, 0.45));
    }

    static ReleaseManifest manifest(boolean forced) {
        return new ReleaseManifest("blood-cells", "night-2", 2, Instant.parse("2026-12-06T02:00:00Z"), "run-night-2", "bccd-2026.12",
                Optional.of("night-1"), "0.1.0", forced, decode(), ReleaseMetrics.of(evaluation(), CLASSES, OptionalDouble.of(0.41)),
                List.of(ONNX, DECODE), List.of(NO_GRAPH));
    }
}

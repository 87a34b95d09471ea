package org.yolofleet.publish.report;

import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.publish.ParityResult;
import org.yolofleet.publish.RegressionGate;
import org.yolofleet.publish.compile.CompileOutcome;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * Everything a release's one-page model card ({@value #FILE}) shows, as the publish stage measured it: the release's
 * manifest (identity, decode spec, metrics, artifacts and what was not produced), the regression gate's decision, the
 * FP32 export's evaluation on the val split (its precision/recall curves), the parity of every export, what the vendor
 * compilers did, and val images with the detections of the ONNX export drawn on them. {@link ModelCardHtml} renders it.
 *
 * @param manifest   the release's manifest, without the card itself (a file cannot list its own hash)
 * @param gate       the regression gate's decision
 * @param evaluation the FP32 ONNX export's evaluation on the whole val split, the one the manifest's metrics come from
 * @param parity     the faithfulness gate's result per FP32 export
 * @param compiled   what each vendor compiler did
 * @param thumbnails val images with the ONNX export's detections
 */
public record ModelCard(ReleaseManifest manifest, Gate gate, Evaluation evaluation, List<ParityResult> parity, List<CompileOutcome> compiled,
                        List<DetectionGrid.Thumbnail> thumbnails) {
    /** The card's file name in the release. */
    public static final String FILE = "report.html";

    public ModelCard {
        requireNonNull(manifest, "manifest");
        requireNonNull(gate, "gate");
        requireNonNull(evaluation, "evaluation");
        parity = List.copyOf(parity);
        compiled = List.copyOf(compiled);
        thumbnails = List.copyOf(thumbnails);
        int classes = manifest.classes().size();
        if (evaluation.classes().size() != classes) {
            throw new IllegalArgumentException("the evaluation has " + evaluation.classes().size() + " classes, the release " + classes);
        }
        if (!gate.currentAveragePrecision().isEmpty() && gate.currentAveragePrecision().size() != classes) {
            throw new IllegalArgumentException("the current release's AP is given for " + gate.currentAveragePrecision().size()
                    + " classes, the release has " + classes);
        }
    }

    /**
     * The regression gate's decision as the card shows it.
     *
     * @param passed                  whether the gate passed (a refused one reached the channel only with {@code --force})
     * @param reason                  the gate's one line
     * @param currentVersion          the release the channel pointed at, when there was one
     * @param currentAveragePrecision that release's AP@0.5 (VOC2010+ area) per class on the same val split; empty when there
     *                                was no current release or it detects other classes (no comparison)
     */
    public record Gate(boolean passed, String reason, Optional<String> currentVersion, List<OptionalDouble> currentAveragePrecision) {
        public Gate {
            requireNonNull(reason, "reason");
            requireNonNull(currentVersion, "currentVersion");
            currentAveragePrecision = List.copyOf(currentAveragePrecision);
        }

        /** The card's view of {@code decision}, with the current release's per-class AP when the gate compared them. */
        public static Gate of(RegressionGate.Decision decision, Optional<RegressionGate.Current> current, List<String> classes) {
            requireNonNull(decision, "decision");
            requireNonNull(current, "current");
            List<OptionalDouble> averagePrecision = current.filter(old -> old.classes().equals(classes))
                    .map(old -> old.evaluation().classes().stream().map(evaluation -> evaluation.areaAveragePrecision()).toList())
                    .orElse(List.of());
            return new Gate(decision.passed(), decision.reason(), decision.currentVersion(), averagePrecision);
        }
    }
}

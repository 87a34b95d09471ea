package org.yolofleet.publish;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.eval.ClassEvaluation;
import org.yolofleet.core.eval.Evaluation;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * The regression gate: the new model reaches the channel only if its val mAP@0.5 (VOC2010+ area) on tonight's val split
 * is at least the current release's on the same split, minus {@code maxMapDrop}. Both are scored by {@link ModelScoring},
 * so the comparison is between models, not between evaluations. A channel with no release yet, or a current release
 * trained on other classes (a new product, not a regression), passes with the reason said.
 *
 * @param maxMapDrop the largest drop of mAP@0.5 allowed, in mAP units (0.01 = one mAP point)
 */
public record RegressionGate(double maxMapDrop) {
    public RegressionGate {
        if (!(maxMapDrop >= 0 && maxMapDrop <= 1)) {
            throw new IllegalArgumentException("the largest mAP drop must be in [0, 1], got " + maxMapDrop);
        }
    }

    /** The release the channel points at now, scored on tonight's val split. */
    public record Current(String version, List<String> classes, Evaluation evaluation) {
        public Current {
            requireNonNull(version, "version");
            classes = List.copyOf(classes);
            requireNonNull(evaluation, "evaluation");
        }
    }

    /**
     * The gate's decision.
     *
     * @param passed  whether the new model may be published without {@code --force}
     * @param reason  one line: why it passed or was refused
     * @param report  the per-class table of both models (empty without a current release)
     */
    public record Decision(boolean passed, String reason, String report, OptionalDouble currentMap, Optional<String> currentVersion) {
        public Decision {
            requireNonNull(reason, "reason");
            requireNonNull(report, "report");
            requireNonNull(currentMap, "currentMap");
            requireNonNull(currentVersion, "currentVersion");
        }

        /**
         * Fails with {@link ErrorCode#MAP_REGRESSION} and both models' per-class report when the gate refused and
         * {@code force} was not given; otherwise returns.
         */
        public void requirePassed(boolean force) {
            if (!passed && !force) {
                throw new YoloFleetException(ErrorCode.MAP_REGRESSION, reason + ". Nothing was published; publish --force publishes anyway"
                        + " (the manifest records it).\n" + report);
            }
        }
    }

    public Decision decide(Evaluation candidate, List<String> classes, Optional<Current> current) {
        requireNonNull(candidate, "candidate");
        double newMap = candidate.areaMeanAveragePrecision().orElse(0);
        if (current.isEmpty()) {
            return new Decision(true, String.format(Locale.ROOT, "the channel has no release yet: the first one (val mAP@0.5 %.4f) is published", newMap),
                    "", OptionalDouble.empty(), Optional.empty());
        }
        Current old = current.get();
        double oldMap = old.evaluation().areaMeanAveragePrecision().orElse(0);
        if (!old.classes().equals(classes)) {
            return new Decision(true, "release " + old.version() + " detects " + old.classes() + ", the new model " + classes
                    + ": other classes, so no mAP comparison", "", OptionalDouble.of(oldMap), Optional.of(old.version()));
        }
        String report = report(candidate, old, classes);
        boolean passed = newMap >= oldMap - maxMapDrop;
        String reason = String.format(Locale.ROOT, "val mAP@0.5 %.4f against %.4f of release %s on the same val split (%+.4f; the gate allows a"
                + " drop of %.4f)", newMap, oldMap, old.version(), newMap - oldMap, maxMapDrop);
        return new Decision(passed, (passed ? "passed: " : "refused: ") + reason, report, OptionalDouble.of(oldMap), Optional.of(old.version()));
    }

    private static String report(Evaluation candidate, Current old, List<String> classes) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-20s %10s %10s %8s%n", "class", "new AP", old.version(), "change"));
        for (int classId = 0; classId < classes.size(); classId++) {
            OptionalDouble now = averagePrecision(candidate, classId);
            OptionalDouble before = averagePrecision(old.evaluation(), classId);
            table.append(String.format(Locale.ROOT, "%-20s %10s %10s %8s%n", classes.get(classId), format(now), format(before),
                    now.isPresent() && before.isPresent() ? String.format(Locale.ROOT, "%+.4f", now.getAsDouble() - before.getAsDouble()) : "-"));
        }
        table.append(String.format(Locale.ROOT, "%-20s %10s %10s%n", "mAP@0.5", format(candidate.areaMeanAveragePrecision()),
                format(old.evaluation().areaMeanAveragePrecision())));
        return table.toString();
    }

    private static OptionalDouble averagePrecision(Evaluation evaluation, int classId) {
        return evaluation.classes().stream().filter(result -> result.classId() == classId).findFirst()
                .map(ClassEvaluation::areaAveragePrecision).orElse(OptionalDouble.empty());
    }

    private static String format(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.4f", value.getAsDouble()) : "-";
    }
}

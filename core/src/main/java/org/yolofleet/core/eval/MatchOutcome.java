package org.yolofleet.core.eval;

/** What matching made of one ranked detection; see {@link VocEvaluator} for the rules. */
public enum MatchOutcome {
    /** Matched to a not yet matched, not difficult ground truth. */
    TRUE_POSITIVE,
    /** Matched to nothing, or to an already matched ground truth (a duplicate). */
    FALSE_POSITIVE,
    /** Matched to a difficult ground truth: neither true nor false positive, no point on the curve. */
    IGNORED
}

package org.yolofleet.core.eval;

/** The two ways the VOC challenge turns a precision/recall curve into an average precision. */
public enum AveragePrecisionMethod {
    /** VOC2007: the mean of the best precision at recall 0, 0.1, ... 1; see {@link AveragePrecision#elevenPoint}. */
    VOC2007_ELEVEN_POINT,
    /** VOC2010 and later: the area under the monotone precision envelope; see {@link AveragePrecision#area}. */
    VOC2010_AREA;

    /** The average precision of a curve by this method. */
    public double averagePrecision(PrecisionRecallCurve curve) {
        return switch (this) {
            case VOC2007_ELEVEN_POINT -> AveragePrecision.elevenPoint(curve.recall(), curve.precision());
            case VOC2010_AREA -> AveragePrecision.area(curve.recall(), curve.precision());
        };
    }

    /** A short label for reports and plot legends. */
    public String label() {
        return switch (this) {
            case VOC2007_ELEVEN_POINT -> "VOC2007 11-point";
            case VOC2010_AREA -> "VOC2010 area";
        };
    }
}

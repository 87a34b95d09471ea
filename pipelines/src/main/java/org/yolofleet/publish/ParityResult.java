package org.yolofleet.publish;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * What {@link RuntimeParity} measured for one export: the worst element error over the images compared, where it was,
 * the detections compared, and the first detection that differed (empty when none did).
 *
 * @param format              the export ({@code onnx-fp32}, {@code tf-frozen-graph}, ...)
 * @param images              images compared
 * @param worstError          the largest {@code |export - checkpoint| / max(1, |checkpoint|)}; infinite for NaN or a shape mismatch
 * @param worstImage          the val image it was on
 * @param worstElement        where in the output it was
 * @param reference           the checkpoint's value there
 * @param candidate           the export's value there
 * @param detections          the checkpoint's detections on all images
 * @param detectionDifference the first detection found by one and not the other, or empty
 * @param tolerance           the largest error allowed
 */
public record ParityResult(String format, int images, double worstError, String worstImage, String worstElement, float reference, float candidate,
                           int detections, String detectionDifference, double tolerance) {
    public ParityResult {
        requireNonNull(format, "format");
        requireNonNull(worstImage, "worstImage");
        requireNonNull(worstElement, "worstElement");
        requireNonNull(detectionDifference, "detectionDifference");
    }

    static ParityResult shapeMismatch(String format, String image, int expected, int actual) {
        return new ParityResult(format, 1, Double.POSITIVE_INFINITY, image, "output of " + actual + " values where the checkpoint gives " + expected,
                Float.NaN, Float.NaN, 0, "", 0);
    }

    public boolean passed() {
        return worstError <= tolerance && detectionDifference.isEmpty();
    }

    /** One line for the summary and the manifest: {@code onnx-fp32: max error 3.1e-06 (tolerance 1e-04) on 16 images, 212 detections the same}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: max error %.2e (tolerance %.0e) on %d images, %d detections %s", format, worstError, tolerance, images,
                detections, detectionDifference.isEmpty() ? "the same" : "differ");
    }

    /** Fails with {@link ErrorCode#EXPORT_MISMATCH} naming the format, the image and the worst element, unless it passed. */
    public void requirePassed() {
        if (passed()) {
            return;
        }
        String detail = worstError > tolerance
                ? String.format(Locale.ROOT, "the worst element, %s of val image %s, is %s in the export and %s in the checkpoint (error %.3e,"
                        + " tolerance %.0e)", worstElement, worstImage, candidate, reference, worstError, tolerance)
                : detectionDifference;
        throw new YoloFleetException(ErrorCode.EXPORT_MISMATCH, "the " + format + " export does not compute what the checkpoint computes: "
                + detail + ". Nothing was published");
    }
}

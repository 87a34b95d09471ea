package org.yolofleet.prelabel;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.Optional;

/**
 * What {@code yolofleet prelabel} runs, validated at start.
 *
 * @param images    the folder of new images, a Hadoop URI ({@code file:}, {@code s3a://}), usually {@code <dataset>/JPEGImages}
 * @param model     the model: an ONNX export, a release directory holding {@code model.onnx}, or a DL4J checkpoint
 * @param output    where the VOC XML goes; by default {@code Annotations} beside the images' folder
 * @param threshold lowest score written, in [0, 1]
 * @param nms       per-class non-maximum suppression IoU, in [0, 1]
 * @param overwrite replace an existing annotation (possibly made by a person); false keeps it and skips the image
 * @param trustedKey the Ed25519 public key (PEM) a release model is verified with; needed for a release, not for an export
 */
public record PrelabelConfig(String images, String model, String output, double threshold, double nms, boolean overwrite,
                             Optional<String> trustedKey) {
    public PrelabelConfig {
        trustedKey = trustedKey.map(String::strip).filter(key -> !key.isEmpty());
        images = required("images", images);
        model = required("model", model);
        output = required("output", output);
        inUnitRange("threshold", threshold);
        inUnitRange("nms", nms);
    }

    /** A config whose output, when absent, is {@link #defaultOutput} of the images. */
    public static PrelabelConfig of(String images, String model, Optional<String> output, double threshold, double nms, boolean overwrite) {
        String folder = required("images", images);
        return new PrelabelConfig(folder, model, output.orElseGet(() -> defaultOutput(folder)), threshold, nms, overwrite, Optional.empty());
    }

    /** The same, verifying a release model with the public key at {@code keyUri}. */
    public PrelabelConfig withTrustedKey(String keyUri) {
        return new PrelabelConfig(images, model, output, threshold, nms, overwrite, Optional.of(keyUri));
    }

    /** {@code s3a://b/site/JPEGImages} → {@code s3a://b/site/Annotations}: the VOC layout {@code prepare} reads. */
    public static String defaultOutput(String images) {
        String trimmed = images.replaceAll("/+$", "");
        int slash = trimmed.lastIndexOf('/');
        if (slash < 0 || trimmed.endsWith(":") || trimmed.substring(0, slash).endsWith(":/")) {
            throw new YoloFleetException(ErrorCode.CONFIG, "images '" + images + "' has no parent folder to put Annotations in:"
                    + " give --output URI");
        }
        return trimmed.substring(0, slash) + "/Annotations";
    }

    private static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new YoloFleetException(ErrorCode.CONFIG, "prelabel " + name + " is missing: give a local path or a Hadoop URI (s3a://...)");
        }
        return value.strip();
    }

    private static void inUnitRange(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new YoloFleetException(ErrorCode.CONFIG, "prelabel " + name + " " + value + " is out of range: allowed [0, 1]");
        }
    }
}

package org.yolofleet.device.detect;

import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.Letterbox;
import org.yolofleet.core.detect.NonMaxSuppression;
import org.yolofleet.core.detect.RegionDecoder;
import org.yolofleet.core.detect.pipeline.BatchForward;
import org.yolofleet.core.detect.pipeline.DetectPipeline;
import org.yolofleet.core.detect.pipeline.PipelineSettings;
import org.yolofleet.core.image.ImagePreprocessor;
import org.yolofleet.core.image.NetworkInput;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.release.DecodeSpec;
import org.yolofleet.core.release.DecodeThresholds;

import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An installed release as a detector: the pipeline's own image→tensor path ({@link ImagePreprocessor} with the decode
 * spec's input size, resize mode and filter), the release's ONNX model, and the pipeline's region decoder and per-class
 * NMS ({@link DecodeSpec#decoder()}), boxes clipped to the image as {@code yolofleet detect} reports them. Nothing here
 * decodes on its own: a model sees on the device what it saw in training and publish's parity gate.
 */
public final class ReleaseDetector implements AutoCloseable {
    private final InstalledModel installed;
    private final OnnxRegionModel model;
    private final ImagePreprocessor preprocessor;
    private final RegionDecoder decoder;
    private long forwardNanos;

    public ReleaseDetector(InstalledModel installed, OnnxRegionModel model) {
        this.installed = requireNonNull(installed, "installed");
        this.model = requireNonNull(model, "model");
        DecodeSpec spec = installed.manifest().decode();
        this.preprocessor = new ImagePreprocessor(spec.width(), spec.height(), spec.resizeMode(), spec.resizeFilter());
        this.decoder = spec.decoder();
    }

    /** Opens an installed release's model with ONNX Runtime. */
    public static ReleaseDetector open(InstalledModel installed, int threads) {
        requireNonNull(installed, "installed");
        return new ReleaseDetector(installed, OnnxRegionModel.open(installed.artifactFile(), installed.manifest().decode(), threads));
    }

    public InstalledModel installed() {
        return installed;
    }

    /** The class name of a class id. */
    public String className(int classId) {
        return installed.manifest().classes().get(classId);
    }

    /** The detections of one image, by descending score, boxes in its pixels clipped to it (empty ones dropped). */
    public List<Detection> detect(RgbImage image, DecodeThresholds thresholds) {
        requireNonNull(image, "image");
        requireNonNull(thresholds, "thresholds");
        NetworkInput input = preprocessor.preprocess(image);
        float[] raw = forward(input.pixels());
        List<Detection> decoded = decoder.detect(raw, input.letterbox(), thresholds.score(),
                NonMaxSuppression.withIouThreshold(thresholds.nmsIou()));
        return Detection.clipAll(decoded, image.width(), image.height());
    }

    /**
     * This detector as a {@link DetectPipeline}: decoding on {@code decodeThreads} threads while ONNX Runtime runs the
     * previous image on the calling thread (one image per pass: the export's input is {@code [1, 3, h, w]}); outcomes
     * carry no pixels, so the window holds network inputs only. Its forward passes count in {@link #forwardNanos()}.
     */
    public DetectPipeline pipeline(DecodeThresholds thresholds, int decodeThreads) {
        requireNonNull(thresholds, "thresholds");
        return new DetectPipeline(preprocessor, decoder, BatchForward.oneAtATime(this::forward), thresholds.score(),
                NonMaxSuppression.withIouThreshold(thresholds.nmsIou()), PipelineSettings.of(decodeThreads, 1, false));
    }

    /**
     * One forward pass and decode of a grey input, so the first image is not timed with ONNX Runtime's lazy
     * initialisation; it does not count in {@link #forwardNanos()}.
     */
    public void warmUp(DecodeThresholds thresholds) {
        float[] grey = new float[model.inputLength()];
        Arrays.fill(grey, Letterbox.BORDER_VALUE);
        float[] raw = model.rawOutput(grey);
        Letterbox whole = preprocessor.geometry(preprocessor.width(), preprocessor.height());
        decoder.detect(raw, whole, thresholds.score(), NonMaxSuppression.withIouThreshold(thresholds.nmsIou()));
    }

    /** Time spent in the network's forward passes since it opened, warm-up excluded. */
    public long forwardNanos() {
        return forwardNanos;
    }

    private float[] forward(float[] input) {
        long start = System.nanoTime();
        float[] raw = model.rawOutput(input);
        forwardNanos += System.nanoTime() - start;
        return raw;
    }

    @Override
    public void close() {
        model.close();
    }
}

package org.yolofleet.detect;

import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.pipeline.BatchForward;
import org.yolofleet.core.detect.pipeline.DetectPipeline;
import org.yolofleet.core.image.NetworkInput;
import org.yolofleet.core.image.RgbImage;

import java.awt.image.BufferedImage;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A YOLOv2 detector: images in, detections in the original image's pixels out, whichever runtime runs the network
 * ({@link OnnxRuntimeDetector}, {@link Dl4jDetector}; {@link ModelLoader} picks one by file). The raw region tensor is
 * available too ({@link #rawOutput}), for comparing runtimes and for callers that decode themselves.
 *
 * <pre>{@code
 * try (Detector detector = ModelLoader.load(ModelSource.of(Path.of("model.onnx")))) {
 *     List<Detection> detections = detector.detect(image, DetectionThresholds.DEFAULTS);
 * }
 * }</pre>
 */
public interface Detector extends AutoCloseable {
    /** The model's classes, anchors, input size, resize mode and output grid. */
    DetectorModel model();

    /**
     * The network's raw output for one input: the region layer's input {@code [anchors * (5 + classes), gridHeight,
     * gridWidth]} flattened in that order, before any logistic, exponential or softmax.
     *
     * @param input {@code 3 x inputHeight x inputWidth} values, RGB in {@code [0, 1]}, CHW
     */
    float[] rawOutput(float[] input);

    /** The most inputs {@link #rawOutputs} runs in one forward pass: 1 unless the runtime takes a batch. */
    default int maxBatch() {
        return 1;
    }

    /** {@link #rawOutput} of each input, in order; a runtime that takes a batch runs up to {@link #maxBatch()} together. */
    default float[][] rawOutputs(float[][] inputs) {
        float[][] outputs = new float[inputs.length][];
        for (int index = 0; index < inputs.length; index++) {
            outputs[index] = rawOutput(inputs[index]);
        }
        return outputs;
    }

    /** This detector's forward pass as {@link DetectPipeline} runs it. */
    default BatchForward batchForward() {
        Detector detector = this;
        return new BatchForward() {
            @Override
            public int maxBatch() {
                return detector.maxBatch();
            }

            @Override
            public float[][] forward(float[][] inputs) {
                return detector.rawOutputs(inputs);
            }
        };
    }

    /** The detections of one image, by descending score, boxes in the image's pixels (not clipped to it). */
    default List<Detection> detect(RgbImage image, DetectionThresholds thresholds) {
        requireNonNull(thresholds, "thresholds");
        DetectorModel model = model();
        NetworkInput input = model.preprocessor().preprocess(image);
        float[] output = rawOutput(input.pixels());
        return model.decoder().detect(output, input.letterbox(), thresholds.score(), thresholds.suppression());
    }

    default List<Detection> detect(BufferedImage image, DetectionThresholds thresholds) {
        return detect(ImageDecoder.rgb(image), thresholds);
    }

    /** Releases the runtime's native resources; the detector is unusable afterwards. */
    @Override
    void close();
}

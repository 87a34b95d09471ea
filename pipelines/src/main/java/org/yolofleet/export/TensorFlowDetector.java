package org.yolofleet.export;

import org.yolofleet.core.model.ClassNames;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.DetectorModel;
import org.yolofleet.detect.InferenceRuntime;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Our TensorFlow frozen graph ({@link TensorFlowGraphExporter}) as a {@link Detector}, run by TensorFlow itself: the
 * input is turned from the detectors' CHW into the graph's NHWC, the output back from NHWC into the raw region tensor's
 * CHW, so it compares element for element with the checkpoint and the ONNX export.
 */
public final class TensorFlowDetector implements Detector {
    private final TensorFlowGraphRunner runner;
    private final DetectorModel model;

    private TensorFlowDetector(TensorFlowGraphRunner runner, DetectorModel model) {
        this.runner = runner;
        this.model = model;
    }

    /** The graph {@code graphDef}, exported from {@code spec}, for the classes {@code classNames}. */
    public static TensorFlowDetector open(byte[] graphDef, ModelSpec spec, List<String> classNames, String source) {
        requireNonNull(spec, "spec");
        List<String> names = ClassNames.check(classNames, spec.classCount());
        DetectorModel model = new DetectorModel(InferenceRuntime.TENSORFLOW, source, names, spec.anchors(), spec.width(), spec.height(),
                spec.resizeMode(), spec.resizeFilter(), spec.gridWidth(), spec.gridHeight());
        return new TensorFlowDetector(TensorFlowGraphRunner.open(graphDef, source), model);
    }

    @Override
    public DetectorModel model() {
        return model;
    }

    @Override
    public float[] rawOutput(float[] input) {
        model.requireInputLength(input);
        return runner.run(TensorFlowGraphRunner.toNhwc(input, 3, model.inputHeight(), model.inputWidth())).toNchw();
    }

    @Override
    public void close() {
        runner.close();
    }
}

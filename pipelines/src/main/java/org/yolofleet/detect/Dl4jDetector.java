package org.yolofleet.detect;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.yolofleet.core.darknet.DarknetCfgReader;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.darknet.DarknetWeightsReader;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ClassNames;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.TensorShape;
import org.yolofleet.model.DarknetWeightsImporter;
import org.yolofleet.model.ModelCheckpoint;
import org.yolofleet.model.TinyYoloGraphBuilder;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Runs the DL4J network of a {@link ModelSpec} (built by {@link TinyYoloGraphBuilder}): from a yolofleet checkpoint
 * ({@link ModelCheckpoint}), from a Darknet cfg with its {@code .weights}, or from a network in memory.
 *
 * <p>The raw output is the activation of the last convolution ({@link TinyYoloGraphBuilder#regionInputName}), the tensor
 * Darknet's region layer and our ONNX export see, computed without running the vertices after it. Not thread-safe: one
 * forward pass at a time (calls are serialised).
 */
public final class Dl4jDetector implements Detector {
    private final ComputationGraph network;
    private final ModelSpec spec;
    private final DetectorModel model;
    private final List<String> regionInput;
    private final int batch;

    /** Images per forward pass in {@link #rawOutputs} unless {@link #withMaxBatch} says otherwise. */
    public static final int BATCH = 4;

    /**
     * @param network a network built from {@code spec}; {@link ErrorCode#BAD_MODEL_SPEC} when its region input does not
     *                have the spec's shape
     * @param classNames one name per class of the spec
     * @param source names the model in messages
     */
    public Dl4jDetector(ComputationGraph network, ModelSpec spec, List<String> classNames, String source) {
        this.network = requireNonNull(network, "network");
        this.spec = requireNonNull(spec, "spec");
        requireNonNull(source, "source");
        List<String> names = ClassNames.check(classNames, spec.classCount());
        String regionInputName = TinyYoloGraphBuilder.regionInputName(spec);
        checkRegionInput(network, spec, regionInputName, source);
        this.regionInput = List.of(regionInputName);
        this.batch = BATCH;
        this.model = new DetectorModel(InferenceRuntime.DL4J, source, names, spec.anchors(), spec.width(), spec.height(),
                spec.resizeMode(), spec.resizeFilter(), spec.gridWidth(), spec.gridHeight());
    }

    private Dl4jDetector(Dl4jDetector detector, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        this.network = detector.network;
        this.spec = detector.spec;
        this.model = detector.model;
        this.regionInput = detector.regionInput;
        this.batch = batch;
    }

    /**
     * A yolofleet checkpoint.
     *
     * @param classNames names that replace the checkpoint's, as many as it has
     */
    public static Dl4jDetector fromCheckpoint(Path file, Optional<List<String>> classNames) {
        requireNonNull(classNames, "classNames");
        ModelCheckpoint.Contents contents = ModelCheckpoint.read(file);
        return new Dl4jDetector(contents.network(), contents.spec(), classNames.orElse(contents.classNames()),
                file.getFileName().toString());
    }

    /** A Darknet cfg and its weights (every convolutional layer), imported into a new DL4J network. */
    public static Dl4jDetector fromDarknet(Path cfg, Path weightsFile, List<String> classNames) {
        requireNonNull(cfg, "cfg");
        requireNonNull(weightsFile, "weightsFile");
        ModelSpec spec = DarknetCfgReader.read(cfg);
        DarknetWeights weights = DarknetWeightsReader.forModel(spec).read(weightsFile);
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();
        DarknetWeightsImporter.importAll(weights, spec, network);
        return new Dl4jDetector(network, spec, classNames, cfg.getFileName() + " + " + weightsFile.getFileName());
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The network itself (shared, not copied). */
    public ComputationGraph network() {
        return network;
    }

    @Override
    public DetectorModel model() {
        return model;
    }

    @Override
    public float[] rawOutput(float[] input) {
        model.requireInputLength(input);
        INDArray batch = Nd4j.create(input, new long[] {1, 3, model.inputHeight(), model.inputWidth()}, 'c');
        INDArray output;
        synchronized (network) {
            output = network.output(regionInput, false, new INDArray[] {batch}, null)[0];
        }
        return Nd4j.toFlattened('c', output).castTo(DataType.FLOAT).toFloatVector();
    }

    /** Images run together in one forward pass: {@value #BATCH} unless {@link #withMaxBatch} says otherwise (DL4J takes any batch). */
    @Override
    public int maxBatch() {
        return batch;
    }

    /** The same network (shared: closing either closes both) running up to {@code batch} images per forward pass. */
    public Dl4jDetector withMaxBatch(int batch) {
        return new Dl4jDetector(this, batch);
    }

    @Override
    public float[][] rawOutputs(float[][] inputs) {
        if (inputs.length == 1) {
            return new float[][] {rawOutput(inputs[0])};
        }
        int length = model.inputLength();
        float[] stacked = new float[inputs.length * length];
        for (int index = 0; index < inputs.length; index++) {
            model.requireInputLength(inputs[index]);
            System.arraycopy(inputs[index], 0, stacked, index * length, length);
        }
        INDArray batchInput = Nd4j.create(stacked, new long[] {inputs.length, 3, model.inputHeight(), model.inputWidth()}, 'c');
        INDArray output;
        synchronized (network) {
            output = network.output(regionInput, false, new INDArray[] {batchInput}, null)[0];
        }
        float[] values = Nd4j.toFlattened('c', output).castTo(DataType.FLOAT).toFloatVector();
        int outputLength = model.outputLength();
        float[][] outputs = new float[inputs.length][];
        for (int index = 0; index < inputs.length; index++) {
            outputs[index] = Arrays.copyOfRange(values, index * outputLength, (index + 1) * outputLength);
        }
        return outputs;
    }

    @Override
    public void close() {
        network.close();
    }

    private static void checkRegionInput(ComputationGraph network, ModelSpec spec, String regionInputName, String source) {
        TensorShape expected = spec.outputShapes().get(spec.layers().size() - 2);
        InputType found;
        try {
            Map<String, InputType> types = network.getConfiguration()
                    .getLayerActivationTypes(InputType.convolutional(spec.height(), spec.width(), spec.channels()));
            found = types.get(regionInputName);
        }
        catch (RuntimeException e) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, source + ": the network does not take the spec's "
                    + spec.width() + " x " + spec.height() + " x " + spec.channels() + " input: " + e.getMessage(), e);
        }
        if (!(found instanceof InputType.InputTypeConvolutional convolutional)
                || convolutional.getChannels() != expected.channels()
                || convolutional.getHeight() != expected.height()
                || convolutional.getWidth() != expected.width()) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, source + ": the network's '" + regionInputName + "' gives " + found
                    + ", the spec's region layer reads " + expected + "; the network was not built from this spec");
        }
    }
}

package org.yolofleet.model;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.Activation;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.LayerSpec;
import org.yolofleet.core.model.MaxPoolLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.TensorShape;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Builds the DL4J {@link ComputationGraph} of a {@link ModelSpec} by walking its layers, so that it computes what
 * Darknet computes for the same cfg and weights. Input: RGB in {@code [0, 1]}, NCHW, {@code spec.height() x spec.width()}.
 *
 * <p>Darknet layer {@code i} becomes these vertices (named by {@link #convolutionName} and friends, so a Darknet layer
 * index finds its DL4J parameters):
 * <ul>
 *   <li>{@code [convolutional]} with batch normalisation: {@code conv_i} (no bias), {@code batchnorm_i}
 *       ({@link DarknetBatchNormalization}: Darknet divides by {@code sqrt(var) + 1e-6}, the importer stores variances
 *       so that DL4J's {@code sqrt(var' + eps)} equals it), then {@code activation_i} unless the activation is linear;
 *       without batch normalisation: {@code conv_i} with bias and the activation. Padding {@code size / 2} on every
 *       side when {@code pad=1}, as Darknet.</li>
 *   <li>{@code [maxpool]}: {@code maxpool_i}. Darknet pads {@code (size - 1) / 2} before and the rest after, padded
 *       cells never winning (minus infinity), so the 2x2 stride-1 maxpool keeps 13x13 by padding right and bottom
 *       only. DL4J's {@code ConvolutionMode.Same} pads {@code total / 2} before and the rest after and ignores padded
 *       cells (proved by a test on negative inputs); where its placement differs from Darknet's, symmetric explicit
 *       padding of Darknet's before-size gives the same windows. Any other case is refused.</li>
 *   <li>{@code [region]}: {@code region_i}, our {@link RegionOutputLayer}, trained with Darknet's region loss
 *       ({@link RegionLoss}: the cfg's anchors, scales, {@code thresh}, {@code rescore}, {@code bias_match}). Its output is the decoded
 *       activations (sigmoid x, y and objectness, anchor-scaled exp w, h, softmax classes); the raw region tensor
 *       Darknet and ONNX export see is the output of the last convolution ({@link #regionInputName}).</li>
 * </ul>
 * Network settings: float32, workspaces enabled for training and inference, {@link CacheMode#DEVICE} by default, the
 * updater and seed of {@link TrainingHyperparameters}. {@link #build()} applies {@link Nd4jRuntime#applyFastConfiguration()}
 * first (so the oneDNN helpers attach to the new layers) unless told not to.
 */
public final class TinyYoloGraphBuilder {
    public static final String INPUT = "input";
    /** Darknet's leaky ReLU slope. */
    public static final double LEAKY_SLOPE = 0.1;
    /**
     * Darknet updates its rolling mean and variance as {@code 0.99 * rolling + 0.01 * batch}: right for its tens of
     * thousands of iterations, too slow for a run of a few hundred (the inference statistics would still be mostly their
     * initial values), so the builder's default is DL4J's 0.9 and a training run sets its own.
     */
    public static final double DARKNET_BATCH_NORM_DECAY = 0.99;
    public static final double DEFAULT_BATCH_NORM_DECAY = 0.9;
    /**
     * The objectness a new head predicts everywhere before training (its bias is the logit of it), as RetinaNet's prior
     * for rare foreground: with sigmoid(0) = 0.5 at every anchor of every cell, the first hundred iterations go to
     * pushing the background down (an image holds a few objects among 13 x 13 x 5 anchors).
     */
    public static final double DEFAULT_OBJECTNESS_PRIOR = 0.01;
    public static final long DEFAULT_SEED = 42;

    private final ModelSpec spec;
    private TrainingHyperparameters hyperparameters;
    private CacheMode cacheMode = CacheMode.DEVICE;
    private boolean fastRuntime = true;
    private double batchNormDecay = DEFAULT_BATCH_NORM_DECAY;
    private double objectnessPrior = DEFAULT_OBJECTNESS_PRIOR;

    private TinyYoloGraphBuilder(ModelSpec spec) {
        this.spec = requireNonNull(spec, "spec");
        this.hyperparameters = TrainingHyperparameters.fromNetOptions(spec.netOptions(), DEFAULT_SEED);
    }

    public static TinyYoloGraphBuilder forSpec(ModelSpec spec) {
        return new TinyYoloGraphBuilder(spec);
    }

    /** Optimizer, learning rate, momentum, weight decay and seed; by default the spec's {@code [net]} values, seed 42. */
    public TinyYoloGraphBuilder hyperparameters(TrainingHyperparameters newHyperparameters) {
        this.hyperparameters = requireNonNull(newHyperparameters, "hyperparameters");
        return this;
    }

    /** {@link CacheMode#DEVICE} unless changed (the benchmark's default configuration uses DL4J's {@code NONE}). */
    public TinyYoloGraphBuilder cacheMode(CacheMode newCacheMode) {
        this.cacheMode = requireNonNull(newCacheMode, "cacheMode");
        return this;
    }

    /** The batch normalisation layers' running-statistics decay, in {@code [0, 1)}: rolling = decay * rolling + (1 - decay) * batch. */
    public TinyYoloGraphBuilder batchNormDecay(double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("batch normalisation decay must be in [0, 1), got " + decay);
        }
        this.batchNormDecay = decay;
        return this;
    }

    /** The objectness the new network predicts before training, in (0, 1); 0.5 is DL4J's plain zero bias. */
    public TinyYoloGraphBuilder objectnessPrior(double prior) {
        if (!(prior > 0 && prior < 1)) {
            throw new IllegalArgumentException("objectness prior must be in (0, 1), got " + prior);
        }
        this.objectnessPrior = prior;
        return this;
    }

    /** Whether {@link #build()} applies the fast ND4J configuration first; true unless changed. */
    public TinyYoloGraphBuilder fastRuntime(boolean apply) {
        this.fastRuntime = apply;
        return this;
    }

    /** The initialised network. */
    public ComputationGraph build() {
        if (fastRuntime) {
            Nd4jRuntime.applyFastConfiguration();
        }
        ComputationGraph network = new ComputationGraph(configuration());
        network.init();
        setObjectnessBias(network, spec, objectnessPrior);
        return network;
    }

    /** Sets the head's objectness biases (channel 4 of every anchor's 5 + classes) to the logit of {@code prior}. */
    public static void setObjectnessBias(ComputationGraph network, ModelSpec spec, double prior) {
        INDArray bias = network.getLayer(convolutionName(spec.layers().size() - 2)).getParam("b");
        int perAnchor = 5 + spec.classCount();
        for (int anchor = 0; anchor < spec.anchors().size(); anchor++) {
            bias.putScalar(anchor * perAnchor + 4, Math.log(prior / (1 - prior)));
        }
    }

    /** The network's configuration, checked against the spec's layer shapes. */
    public ComputationGraphConfiguration configuration() {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(hyperparameters.seed())
                .dataType(DataType.FLOAT)
                .updater(hyperparameters.updater())
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Truncate)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .cacheMode(cacheMode);
        if (hyperparameters.weightDecay() > 0) {
            base.l2(hyperparameters.weightDecay());
        }
        ComputationGraphConfiguration.GraphBuilder graph = base.graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(inputType());
        List<TensorShape> inputs = spec.inputShapes();
        String previous = INPUT;
        for (int index = 0; index < spec.layers().size(); index++) {
            previous = addLayer(graph, index, spec.layers().get(index), inputs.get(index), previous);
        }
        graph.setOutputs(previous);
        ComputationGraphConfiguration configuration = graph.build();
        checkShapes(configuration);
        return configuration;
    }

    public InputType inputType() {
        return InputType.convolutional(spec.height(), spec.width(), spec.channels());
    }

    public static String convolutionName(int layerIndex) {
        return "conv_" + layerIndex;
    }

    public static String batchNormalizationName(int layerIndex) {
        return "batchnorm_" + layerIndex;
    }

    public static String activationName(int layerIndex) {
        return "activation_" + layerIndex;
    }

    public static String maxPoolName(int layerIndex) {
        return "maxpool_" + layerIndex;
    }

    public static String regionName(int layerIndex) {
        return "region_" + layerIndex;
    }

    /** The vertex whose activations are Darknet layer {@code layerIndex}'s output. */
    public static String outputName(ModelSpec spec, int layerIndex) {
        return spec.layers().get(layerIndex).accept(new LayerSpec.Visitor<>() {
            @Override
            public String visitConvolutional(ConvolutionalLayer layer) {
                if (!layer.batchNormalize()) {
                    return convolutionName(layerIndex);
                }
                return layer.activation() == Activation.LINEAR ? batchNormalizationName(layerIndex) : activationName(layerIndex);
            }

            @Override
            public String visitMaxPool(MaxPoolLayer layer) {
                return maxPoolName(layerIndex);
            }

            @Override
            public String visitRegion(RegionLayer layer) {
                return regionName(layerIndex);
            }
        });
    }

    /** The vertex whose activations are the raw region tensor {@code [mb, anchors * (5 + classes), H, W]}. */
    public static String regionInputName(ModelSpec spec) {
        return outputName(spec, spec.layers().size() - 2);
    }

    /**
     * {@code spec} with the head {@code network} carries (its region output layer's anchors and loss settings): for a
     * network built from {@code spec} that is {@code spec}; a warm-started one trains and decodes with its checkpoint's.
     */
    public static ModelSpec withNetworkRegion(ComputationGraph network, ModelSpec spec) {
        String name = regionName(spec.layers().size() - 1);
        if (network.getLayer(name) == null || !(network.getLayer(name).conf().getLayer() instanceof RegionOutputLayer output)) {
            throw new IllegalArgumentException("the network has no region output layer " + name);
        }
        return spec.withRegion(output.appliedTo(spec.region()));
    }

    private String addLayer(ComputationGraphConfiguration.GraphBuilder graph, int index, LayerSpec layer, TensorShape input, String previous) {
        return layer.accept(new LayerSpec.Visitor<>() {
            @Override
            public String visitConvolutional(ConvolutionalLayer convolution) {
                int padding = convolution.padding();
                boolean batchNormalize = convolution.batchNormalize();
                graph.addLayer(convolutionName(index), new ConvolutionLayer.Builder(convolution.size(), convolution.size())
                        .stride(convolution.stride(), convolution.stride())
                        .padding(padding, padding)
                        .convolutionMode(ConvolutionMode.Truncate)
                        .nIn(input.channels())
                        .nOut(convolution.filters())
                        .hasBias(!batchNormalize)
                        .activation(batchNormalize ? new ActivationIdentity() : activation(convolution.activation()))
                        .build(), previous);
                if (!batchNormalize) {
                    return convolutionName(index);
                }
                graph.addLayer(batchNormalizationName(index), new BatchNormalization.Builder()
                        .nOut(convolution.filters())
                        .useLogStd(false)
                        .eps(DarknetBatchNormalization.DL4J_EPSILON)
                        .decay(batchNormDecay)
                        .build(), convolutionName(index));
                if (convolution.activation() == Activation.LINEAR) {
                    return batchNormalizationName(index);
                }
                graph.addLayer(activationName(index), new ActivationLayer.Builder()
                        .activation(activation(convolution.activation()))
                        .build(), batchNormalizationName(index));
                return activationName(index);
            }

            @Override
            public String visitMaxPool(MaxPoolLayer maxPool) {
                graph.addLayer(maxPoolName(index), maxPoolLayer(index, maxPool, input), previous);
                return maxPoolName(index);
            }

            @Override
            public String visitRegion(RegionLayer region) {
                graph.addLayer(regionName(index), RegionOutputLayer.of(region), previous);
                return regionName(index);
            }
        });
    }

    /**
     * Darknet's maxpool as a DL4J subsampling layer: Same mode when DL4J places the padding where Darknet does, else
     * symmetric padding of Darknet's before-size when that gives Darknet's output size (padded cells are ignored by
     * DL4J's max pooling in both modes).
     */
    static SubsamplingLayer maxPoolLayer(int index, MaxPoolLayer maxPool, TensorShape input) {
        SubsamplingLayer.Builder builder = new SubsamplingLayer.Builder(PoolingType.MAX)
                .kernelSize(maxPool.size(), maxPool.size())
                .stride(maxPool.stride(), maxPool.stride());
        TensorShape output = maxPool.outputShape(input);
        if (samePaddingBefore(input.height(), maxPool) == maxPool.paddingBefore()
                && samePaddingBefore(input.width(), maxPool) == maxPool.paddingBefore()) {
            return builder.convolutionMode(ConvolutionMode.Same).build();
        }
        int padding = maxPool.paddingBefore();
        if (truncatedSize(input.height(), padding, maxPool) == output.height() && truncatedSize(input.width(), padding, maxPool) == output.width()) {
            return builder.convolutionMode(ConvolutionMode.Truncate).padding(padding, padding).build();
        }
        throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, "layer " + index + ": maxpool size " + maxPool.size() + " stride "
                + maxPool.stride() + " on a " + input + " input pads differently in DL4J than in Darknet; not supported");
    }

    /** Where DL4J's Same mode puts the padding: {@code total / 2} before, total = (out - 1) * stride + size - in. */
    static int samePaddingBefore(int inputSize, MaxPoolLayer maxPool) {
        int outputSize = (inputSize + maxPool.stride() - 1) / maxPool.stride();
        int total = Math.max(0, (outputSize - 1) * maxPool.stride() + maxPool.size() - inputSize);
        return total / 2;
    }

    private static int truncatedSize(int inputSize, int padding, MaxPoolLayer maxPool) {
        return (inputSize + 2 * padding - maxPool.size()) / maxPool.stride() + 1;
    }

    static IActivation activation(Activation activation) {
        return switch (activation) {
            case LEAKY -> new ActivationLReLU(LEAKY_SLOPE);
            case LINEAR -> new ActivationIdentity();
            case RELU -> new ActivationReLU();
            case LOGISTIC -> new ActivationSigmoid();
        };
    }

    /** Every Darknet layer's output in DL4J must have the spec's shape. */
    private void checkShapes(ComputationGraphConfiguration configuration) {
        Map<String, InputType> types = configuration.getLayerActivationTypes(inputType());
        List<TensorShape> expected = spec.outputShapes();
        for (int index = 0; index < spec.layers().size(); index++) {
            InputType type = types.get(outputName(spec, index));
            if (!(type instanceof InputType.InputTypeConvolutional convolutional)
                    || convolutional.getChannels() != expected.get(index).channels()
                    || convolutional.getHeight() != expected.get(index).height()
                    || convolutional.getWidth() != expected.get(index).width()) {
                throw new YoloFleetException(ErrorCode.INTERNAL, "layer " + index + " (" + outputName(spec, index) + ") gives " + type
                        + " in DL4J, Darknet gives " + expected.get(index));
            }
        }
    }
}

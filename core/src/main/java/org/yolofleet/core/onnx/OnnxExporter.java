package org.yolofleet.core.onnx;

import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.darknet.FoldedConvolution;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.LayerSpec;
import org.yolofleet.core.model.MaxPoolLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.TensorShape;
import org.yolofleet.core.onnx.OnnxProto.Attribute;
import org.yolofleet.core.onnx.OnnxProto.DataType;
import org.yolofleet.core.onnx.OnnxProto.FloatAttribute;
import org.yolofleet.core.onnx.OnnxProto.Graph;
import org.yolofleet.core.onnx.OnnxProto.IntegerAttribute;
import org.yolofleet.core.onnx.OnnxProto.IntegersAttribute;
import org.yolofleet.core.onnx.OnnxProto.Model;
import org.yolofleet.core.onnx.OnnxProto.Node;
import org.yolofleet.core.onnx.OnnxProto.OperatorSetId;
import org.yolofleet.core.onnx.OnnxProto.StringAttribute;
import org.yolofleet.core.onnx.OnnxProto.StringStringEntry;
import org.yolofleet.core.onnx.OnnxProto.Tensor;
import org.yolofleet.core.onnx.OnnxProto.ValueInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Writes a {@link ModelSpec} and its Darknet weights as an ONNX model that computes exactly what Darknet computes, for
 * ONNX Runtime on the Raspberry Pis and the Movidius tool chains.
 *
 * <p>The file: IR version {@value #IR_VERSION}, operator set {@value #OPSET_VERSION} of the default domain; one input
 * {@value #INPUT_NAME}, float32 {@code [1, 3, height, width]}, RGB in {@code [0, 1]}, NCHW (after letterbox or resize as
 * the metadata says); one output {@value #OUTPUT_NAME}, float32 {@code [1, anchors * (5 + classes), gridHeight,
 * gridWidth]}: the region layer's input as Darknet stores it, per anchor {@code tx, ty, tw, th, objectness} and the class
 * scores, before any logistic, exponential or softmax (decoding is left to the caller). {@link OnnxMetadata} goes into
 * {@code metadata_props}.
 *
 * <p>The graph walks the spec layer by layer:
 * <ul>
 *   <li>convolutional: {@code Conv} (Darknet's {@code pad=1} as {@code size / 2} on every side), batch normalisation
 *       folded or kept as {@link OnnxExportOptions.BatchNormalization} says, then {@code LeakyRelu} (alpha 0.1),
 *       {@code Relu}, {@code Sigmoid} or nothing for a linear activation;</li>
 *   <li>maxpool: {@code MaxPool} with Darknet's window, stride and minus-infinity padding ({@code size - 1} in total,
 *       {@code (size - 1) / 2} of it on the left and top), written only where a window reads it and as
 *       {@link OnnxExportOptions.MaxPoolPadding} says;</li>
 *   <li>region: no node; the last convolution's output is the graph output.</li>
 * </ul>
 * Nodes and values are named after the layer index: {@code layer_3_conv}, {@code layer_3_leaky_relu}, ...
 *
 * <p>{@link OnnxExportOptions.Precision#FLOAT16}: the same walk with every weight and every value between the layers in
 * half precision, for OpenVINO's MYRIAD plugin (NCS2, OAK), which computes in FP16. The input and output stay float32,
 * as above: a {@code Cast} to float16 ({@value #INPUT_CAST_NAME}) follows the input and a {@code Cast} to float32
 * ({@value #OUTPUT_CAST_NAME}) produces the output, so a host feeds and reads both files with the same code, the image
 * is rounded to half in the graph (round to nearest even) rather than by each host, and the float32 output holds the
 * half results exactly. Metadata {@code precision} says {@code fp16}. Folded weights are computed in double and rounded
 * once to half ({@link Float16}); one beyond half's range (65504) fails the export with
 * {@link ErrorCode#EXPORT_MISMATCH} naming the layer. Batch normalisation must be folded (see
 * {@link OnnxExportOptions}).
 *
 * <p>ONNX Runtime (1.20) loads and runs the FP16 file, but its CPU provider has no float16 kernel for Conv, LeakyRelu or
 * MaxPool on x86 (ARM64 builds have some): it wraps such nodes in Casts to float32 and back
 * ({@code InsertCastTransformer}), then removes every float32-to-float16-to-float32 pair of Casts
 * ({@code RemoveDuplicateCastTransformer}), ours after the input included. On an x86 host it therefore computes a
 * float32 network with the half weights: neither the image nor the values between the layers are rounded to half. An
 * accelerator that computes in FP16 rounds them too, and differs from the FP32 export by more (see the tests).
 */
public final class OnnxExporter {
    public static final long IR_VERSION = 7;
    public static final long OPSET_VERSION = 13;
    public static final String INPUT_NAME = "images";
    public static final String OUTPUT_NAME = "region";
    /** The FP16 export's Cast of {@value #INPUT_NAME} to float16. */
    public static final String INPUT_CAST_NAME = "images_to_float16";
    /** The FP16 export's Cast of the last layer's output to float32, {@value #OUTPUT_NAME}. */
    public static final String OUTPUT_CAST_NAME = "region_to_float32";
    /**
     * Version of our conventions (input and output names and layouts, metadata keys), written as the model's
     * {@code producer_version}; raised when they change incompatibly.
     */
    public static final String FORMAT_VERSION = "1";
    /** Darknet's leaky activation: {@code x > 0 ? x : 0.1f * x}. */
    public static final float LEAKY_ALPHA = 0.1f;
    /** Darknet's {@code normalize_cpu} divides by {@code sqrt(variance) + .000001f} (see {@link FoldedConvolution}). */
    public static final double DARKNET_STANDARD_DEVIATION_EPSILON = FoldedConvolution.DARKNET_STANDARD_DEVIATION_EPSILON;
    /**
     * The {@code epsilon} of kept BatchNormalization nodes, which divide by {@code sqrt(variance + epsilon)}: tiny, so
     * the variances written ({@code (sqrt(variance) + 1e-6)^2 - epsilon}, at least 1e-12 before the subtraction) stay
     * positive.
     */
    public static final float BATCH_NORMALIZATION_NODE_EPSILON = 1e-13f;

    private static final int RGB_CHANNELS = 3;
    private static final String DEFAULT_DOMAIN = "";

    private final OnnxExportOptions options;

    public OnnxExporter(OnnxExportOptions options) {
        this.options = requireNonNull(options, "options");
    }

    /** An exporter with {@link OnnxExportOptions#DEFAULTS}. */
    public static OnnxExporter withDefaults() {
        return new OnnxExporter(OnnxExportOptions.DEFAULTS);
    }

    public OnnxExportOptions options() {
        return options;
    }

    /**
     * The ONNX file's bytes.
     *
     * @param weights one entry per convolutional layer of the spec, in cfg order (as {@code DarknetWeights.layers()})
     * @param classNames one name per class of the region layer, in class-index order
     * @param modelVersion free text stored as metadata {@code model_version}
     * @throws YoloFleetException {@link ErrorCode#BAD_MODEL_SPEC} for an input that is not 3 channels or class names that
     *                            do not fit; {@link ErrorCode#BAD_WEIGHTS} for weights that do not fit the spec;
     *                            {@link ErrorCode#EXPORT_MISMATCH} for a float16 export of a weight or bias beyond half's
     *                            range
     */
    public byte[] export(ModelSpec spec, List<ConvolutionalWeights> weights, List<String> classNames, String modelVersion) {
        requireNonNull(spec, "spec");
        requireNonNull(weights, "weights");
        if (spec.channels() != RGB_CHANNELS) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC,
                    "ONNX export takes RGB input (3 channels), the spec has " + spec.channels() + " channels");
        }
        OnnxMetadata metadata = OnnxMetadata.of(spec, classNames, modelVersion).withPrecision(options.precision());
        List<ConvolutionalWeights> checkedWeights = checkWeights(spec, weights);
        Graph graph = new GraphWriter(spec, checkedWeights).write();
        List<StringStringEntry> properties = metadata.toMap().entrySet().stream()
                .map(entry -> new StringStringEntry(entry.getKey(), entry.getValue()))
                .toList();
        String documentation = String.format(Locale.ROOT, "YOLOv2 detector (Darknet region head), %d layers, %d classes, %d x %d input, "
                        + "%s; exported by %s", spec.layers().size(), spec.classCount(), spec.width(), spec.height(),
                options.precision().key(), OnnxMetadata.PRODUCER);
        Model model = new Model(IR_VERSION, OnnxMetadata.PRODUCER, FORMAT_VERSION, documentation, graph,
                List.of(new OperatorSetId(DEFAULT_DOMAIN, OPSET_VERSION)), properties);
        return ProtobufWriter.serialize(model);
    }

    private static List<ConvolutionalWeights> checkWeights(ModelSpec spec, List<ConvolutionalWeights> weights) {
        return FoldedConvolution.checkExportable(spec, weights);
    }

    /** Darknet's per-filter divisor {@code sqrt(variance) + 1e-6}, in double precision. */
    static double darknetStandardDeviation(float variance) {
        return FoldedConvolution.darknetStandardDeviation(variance);
    }

    /** Walks the spec once, collecting nodes, initializers and the shapes of the values between them. */
    private final class GraphWriter implements LayerSpec.Visitor<Void> {
        private final ModelSpec spec;
        private final List<ConvolutionalWeights> weights;
        private final List<TensorShape> inputShapes;
        private final List<TensorShape> outputShapes;
        private final List<Node> nodes = new ArrayList<>();
        private final List<Tensor> initializers = new ArrayList<>();
        private final List<ValueInfo> valueInfos = new ArrayList<>();
        /** The element type of the weights and of the values between the layers. */
        private final DataType elementType = switch (options.precision()) {
            case FLOAT32 -> DataType.FLOAT;
            case FLOAT16 -> DataType.FLOAT16;
        };
        private int layerIndex;
        private int convolutionalIndex;
        private String current = INPUT_NAME;

        GraphWriter(ModelSpec spec, List<ConvolutionalWeights> weights) {
            this.spec = spec;
            this.weights = weights;
            this.inputShapes = spec.inputShapes();
            this.outputShapes = spec.outputShapes();
        }

        Graph write() {
            if (elementType != DataType.FLOAT) {
                nodes.add(new Node(List.of(INPUT_NAME), List.of(INPUT_CAST_NAME), INPUT_CAST_NAME, "Cast",
                        List.of(new IntegerAttribute("to", elementType.code()))));
                valueInfos.add(new ValueInfo(INPUT_CAST_NAME, elementType, batchOfOne(spec.inputShape()), ""));
                current = INPUT_CAST_NAME;
            }
            for (layerIndex = 0; layerIndex < spec.layers().size(); layerIndex++) {
                spec.layers().get(layerIndex).accept(this);
            }
            TensorShape output = outputShapes.get(outputShapes.size() - 1);
            if (elementType != DataType.FLOAT) {
                addNode(OUTPUT_CAST_NAME, "Cast", List.of(), List.of(new IntegerAttribute("to", DataType.FLOAT.code())), output);
            }
            renameLastOutput();
            RegionLayer region = spec.region();
            ValueInfo input = new ValueInfo(INPUT_NAME, DataType.FLOAT, batchOfOne(spec.inputShape()),
                    "RGB in [0, 1], NCHW, " + spec.width() + " x " + spec.height() + " after "
                            + spec.resizeMode().name().toLowerCase(Locale.ROOT));
            ValueInfo regionOutput = new ValueInfo(OUTPUT_NAME, DataType.FLOAT, batchOfOne(output),
                    "raw region tensor: for each of " + region.anchorCount() + " anchors the " + region.valuesPerAnchor()
                            + " channels tx, ty, tw, th, objectness, " + region.classes()
                            + " class scores, before logistic, exp and softmax");
            String documentation = "Darknet network of " + spec.layers().size() + " layers; batch normalisation "
                    + options.batchNormalization().name().toLowerCase(Locale.ROOT) + ", max-pool padding "
                    + options.maxPoolPadding().name().toLowerCase(Locale.ROOT) + ", weights and values between layers "
                    + options.precision().key() + " (input and output float32)";
            return new Graph(nodes, OnnxMetadata.PRODUCER, initializers, documentation, List.of(input), List.of(regionOutput), valueInfos);
        }

        @Override
        public Void visitConvolutional(ConvolutionalLayer layer) {
            ConvolutionalWeights values = weights.get(convolutionalIndex++);
            TensorShape input = inputShapes.get(layerIndex);
            TensorShape output = outputShapes.get(layerIndex);
            long padding = layer.padding();
            requireOnnxSize(input.height(), 2 * padding, layer.size(), layer.stride(), output.height());
            requireOnnxSize(input.width(), 2 * padding, layer.size(), layer.stride(), output.width());
            List<Attribute> attributes = List.of(
                    IntegersAttribute.of("kernel_shape", layer.size(), layer.size()),
                    IntegersAttribute.of("strides", layer.stride(), layer.stride()),
                    IntegersAttribute.of("pads", padding, padding, padding, padding));
            List<Long> weightDimensions = List.of((long) layer.filters(), (long) input.channels(), (long) layer.size(), (long) layer.size());
            List<Long> filterDimensions = List.of((long) layer.filters());
            String convolution = name("conv");
            if (!layer.batchNormalize()) {
                addNode(convolution, "Conv", List.of(
                        initializer(convolution + "_weights", weightDimensions, values.weights()),
                        initializer(convolution + "_biases", filterDimensions, values.biases())), attributes, output);
            }
            else {
                switch (options.batchNormalization()) {
                    case FOLD -> {
                        FoldedConvolution folded = FoldedConvolution.of(values);
                        addNode(convolution, "Conv", List.of(
                                initializer(convolution + "_weights", weightDimensions, folded.weights()),
                                initializer(convolution + "_biases", filterDimensions, folded.biases())), attributes, output);
                    }
                    case KEEP -> {
                        addNode(convolution, "Conv", List.of(initializer(convolution + "_weights", weightDimensions, values.weights())),
                                attributes, output);
                        String normalization = name("batch_normalization");
                        addNode(normalization, "BatchNormalization", List.of(
                                        initializer(normalization + "_scales", filterDimensions, values.scales()),
                                        initializer(normalization + "_biases", filterDimensions, values.biases()),
                                        initializer(normalization + "_means", filterDimensions, values.rollingMean()),
                                        initializer(normalization + "_variances", filterDimensions,
                                                nodeVariances(values.rollingVariance()))),
                                List.of(new FloatAttribute("epsilon", BATCH_NORMALIZATION_NODE_EPSILON)), output);
                    }
                }
            }
            switch (layer.activation()) {
                case LEAKY -> addNode(name("leaky_relu"), "LeakyRelu", List.of(), List.of(new FloatAttribute("alpha", LEAKY_ALPHA)), output);
                case RELU -> addNode(name("relu"), "Relu", List.of(), List.of(), output);
                case LOGISTIC -> addNode(name("sigmoid"), "Sigmoid", List.of(), List.of(), output);
                case LINEAR -> {
                    // the identity: no node
                }
            }
            return null;
        }

        @Override
        public Void visitMaxPool(MaxPoolLayer layer) {
            TensorShape input = inputShapes.get(layerIndex);
            TensorShape output = outputShapes.get(layerIndex);
            long top = layer.paddingBefore();
            long left = layer.paddingBefore();
            long bottom = paddingRead(input.height(), output.height(), layer);
            long right = paddingRead(input.width(), output.width(), layer);
            requireOnnxSize(input.height(), top + bottom, layer.size(), layer.stride(), output.height());
            requireOnnxSize(input.width(), left + right, layer.size(), layer.stride(), output.width());
            List<Attribute> window = List.of(
                    IntegersAttribute.of("kernel_shape", layer.size(), layer.size()),
                    IntegersAttribute.of("strides", layer.stride(), layer.stride()));
            switch (options.maxPoolPadding()) {
                case MAX_POOL_PADS -> addNode(name("maxpool"), "MaxPool", List.of(),
                        append(window, IntegersAttribute.of("pads", top, left, bottom, right)), output);
                case EDGE_PAD -> {
                    if (top + left + bottom + right > 0) {
                        String pad = name("pad");
                        TensorShape paddedShape = new TensorShape(input.channels(), Math.toIntExact(input.height() + top + bottom),
                                Math.toIntExact(input.width() + left + right));
                        String pads = pad + "_pads";
                        initializers.add(Tensor.longs(pads, List.of(8L), new long[] {0, 0, top, left, 0, 0, bottom, right}));
                        addNode(pad, "Pad", List.of(pads), List.of(new StringAttribute("mode", "edge")), paddedShape);
                    }
                    addNode(name("maxpool"), "MaxPool", List.of(), append(window, IntegersAttribute.of("pads", 0, 0, 0, 0)), output);
                }
            }
            return null;
        }

        @Override
        public Void visitRegion(RegionLayer layer) {
            // the region layer only interprets its input, which is the graph output
            return null;
        }

        /**
         * Padding on the right (or bottom) that a window actually reads: the last window starts at {@code (output - 1) *
         * stride - paddingBefore} and ends {@code size} later. Darknet allows {@code paddingAfter}, but a 2x2 stride-2
         * maxpool on an even input never reaches it, and writing it would only make the graph larger.
         */
        private static long paddingRead(int inputSize, int outputSize, MaxPoolLayer layer) {
            long end = (long) (outputSize - 1) * layer.stride() - layer.paddingBefore() + layer.size();
            return Math.max(0, end - inputSize);
        }

        /** The ONNX output size {@code floor((input + padding - size) / stride) + 1} must be the spec's. */
        private void requireOnnxSize(int inputSize, long padding, int size, int stride, int specSize) {
            long onnxSize = Math.floorDiv(inputSize + padding - size, stride) + 1;
            if (onnxSize != specSize) {
                throw new YoloFleetException(ErrorCode.EXPORT_MISMATCH, "layer " + layerIndex + ": ONNX computes an output size of "
                        + onnxSize + " from " + inputSize + " (padding " + padding + ", size " + size + ", stride " + stride
                        + "), the spec " + specSize);
            }
        }

        private String name(String operation) {
            return "layer_" + layerIndex + "_" + operation;
        }

        private String initializer(String name, List<Long> dimensions, float[] values) {
            double[] exact = new double[values.length];
            for (int index = 0; index < values.length; index++) {
                exact[index] = values[index];
            }
            return initializer(name, dimensions, exact);
        }

        /** A constant tensor of the export's precision, each value rounded once from double. */
        private String initializer(String name, List<Long> dimensions, double[] values) {
            switch (options.precision()) {
                case FLOAT32 -> {
                    float[] floats = new float[values.length];
                    for (int index = 0; index < values.length; index++) {
                        floats[index] = (float) values[index];
                    }
                    initializers.add(Tensor.floats(name, dimensions, floats));
                }
                case FLOAT16 -> {
                    short[] halves = new short[values.length];
                    for (int index = 0; index < values.length; index++) {
                        halves[index] = Float16.toBits(values[index]);
                        if (Float16.isInfinite(halves[index]) && Double.isFinite(values[index])) {
                            throw new YoloFleetException(ErrorCode.EXPORT_MISMATCH, String.format(Locale.ROOT,
                                    "layer %d (convolutional): value %d of %s is %g, beyond half precision's largest value %.0f;"
                                            + " export this model as FLOAT32", layerIndex, index, name, values[index], Float16.MAX_VALUE));
                        }
                    }
                    initializers.add(Tensor.halves(name, dimensions, halves));
                }
            }
            return name;
        }

        /** Adds a node reading the current value (then the given inputs) and makes its output the current value. */
        private void addNode(String name, String operatorType, List<String> extraInputs, List<Attribute> attributes, TensorShape output) {
            List<String> inputs = new ArrayList<>();
            inputs.add(current);
            inputs.addAll(extraInputs);
            nodes.add(new Node(inputs, List.of(name), name, operatorType, attributes));
            valueInfos.add(new ValueInfo(name, elementType, batchOfOne(output), ""));
            current = name;
        }

        /** The last node's output becomes {@value #OUTPUT_NAME}, a graph output rather than an intermediate value. */
        private void renameLastOutput() {
            Node last = nodes.remove(nodes.size() - 1);
            nodes.add(new Node(last.inputs(), List.of(OUTPUT_NAME), last.name(), last.operatorType(), last.attributes()));
            valueInfos.removeIf(valueInfo -> valueInfo.name().equals(current));
            current = OUTPUT_NAME;
        }
    }

    /** Variances for a BatchNormalization node that divides by {@code sqrt(variance + epsilon)} as Darknet divides. */
    static float[] nodeVariances(float[] darknetVariances) {
        float[] variances = new float[darknetVariances.length];
        for (int filter = 0; filter < variances.length; filter++) {
            double standardDeviation = darknetStandardDeviation(darknetVariances[filter]);
            variances[filter] = (float) (standardDeviation * standardDeviation - BATCH_NORMALIZATION_NODE_EPSILON);
        }
        return variances;
    }

    private static List<Long> batchOfOne(TensorShape shape) {
        return List.of(1L, (long) shape.channels(), (long) shape.height(), (long) shape.width());
    }

    private static List<Attribute> append(List<Attribute> attributes, Attribute attribute) {
        List<Attribute> all = new ArrayList<>(attributes);
        all.add(attribute);
        return List.copyOf(all);
    }
}

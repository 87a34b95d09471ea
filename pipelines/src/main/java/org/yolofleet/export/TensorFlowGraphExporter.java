package org.yolofleet.export;

import com.google.protobuf.ByteString;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Writes a {@link ModelSpec} and its Darknet weights as a TensorFlow frozen {@code GraphDef} ({@code .pb}) for the
 * first-generation Intel Movidius NCS: NCSDK 2 compiles it with {@code mvNCCompile model.pb -s 12 -in input -on output}.
 * The graph is built with TensorFlow's own generated protobuf classes ({@code org.tensorflow.proto}), so it is exactly
 * what TensorFlow reads, and {@link TensorFlowGraphRunner} runs it in TensorFlow itself.
 *
 * <p>The graph, NHWC throughout:
 * <ul>
 *   <li>input {@value #INPUT_NAME}: {@code Placeholder}, float32 {@code [1, height, width, 3]}, RGB in {@code [0, 1]}
 *       (after letterbox or resize as the spec says): the ONNX export's input transposed;</li>
 *   <li>convolutional: {@code Conv2D} with the kernel as HWIO {@code Const}, batch normalisation folded into the kernel
 *       and a {@code BiasAdd} by {@link FoldedConvolution} (the same double-precision folding as the ONNX export), then
 *       leaky as {@code Maximum(Mul(x, 0.1), x)} (NCSDK 2 rejects the {@code LeakyRelu} op), {@code Relu},
 *       {@code Sigmoid} or nothing for a linear activation. Darknet's padding is {@code "SAME"} where TensorFlow's
 *       {@code SAME} pads as Darknet does (every odd stride-1 kernel), otherwise a zero {@code Pad} and
 *       {@code "VALID"};</li>
 *   <li>maxpool: {@code MaxPool}, {@code "SAME"} where that gives Darknet's output: TensorFlow's SAME pads the
 *       missing {@code size - 1} right and bottom for an even window and ignores padded cells, which is Darknet's
 *       minus-infinity padding, so the 2x2 stride-1 maxpool keeps the 13 x 13 grid; {@code "VALID"} where no padding is
 *       read; anything else is refused;</li>
 *   <li>region: no op;</li>
 *   <li>output {@value #OUTPUT_NAME}: an {@code Identity} of the last convolution, float32 {@code [1, gridHeight,
 *       gridWidth, anchors * (5 + classes)]}: the raw region tensor (per anchor {@code tx, ty, tw, th, objectness} and
 *       the class scores, before logistic, exponential and softmax), i.e. the ONNX export's output transposed from NCHW
 *       to NHWC.</li>
 * </ul>
 * Only {@link #OPERATIONS} appear. Nodes are named after the layer index: {@code layer_3_conv}, {@code layer_3_leaky}.
 */
public final class TensorFlowGraphExporter {
    public static final String INPUT_NAME = "input";
    public static final String OUTPUT_NAME = "output";
    /** Darknet's leaky activation: {@code x > 0 ? x : 0.1f * x}. */
    public static final float LEAKY_ALPHA = 0.1f;
    /** Every op type the graph may contain: those NCSDK 2's TensorFlow parser compiles. */
    public static final Set<String> OPERATIONS = Set.of("Placeholder", "Const", "Conv2D", "BiasAdd", "Mul", "Maximum", "MaxPool",
            "Identity", "Pad", "Relu", "Sigmoid");

    private static final int RGB_CHANNELS = 3;
    private static final String SAME = "SAME";
    private static final String VALID = "VALID";

    /**
     * The {@code GraphDef} bytes.
     *
     * @param weights one entry per convolutional layer of the spec, in cfg order (as {@code DarknetWeights.layers()})
     * @throws YoloFleetException {@link ErrorCode#BAD_MODEL_SPEC} for an input that is not 3 channels or a maxpool that
     *                            TensorFlow cannot pool as Darknet does; {@link ErrorCode#BAD_WEIGHTS} for weights that do
     *                            not fit the spec
     */
    public byte[] export(ModelSpec spec, List<ConvolutionalWeights> weights) {
        return graph(spec, weights).toByteArray();
    }

    /** Writes {@link #export} to the file (replacing it). */
    public void export(ModelSpec spec, List<ConvolutionalWeights> weights, Path file) {
        byte[] bytes = export(spec, weights);
        try {
            Files.write(file, bytes);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot write the TensorFlow graph " + file + ": " + e.getMessage()
                    + "; check the directory exists and is writable");
        }
    }

    /** The graph itself, for callers that inspect it. */
    public GraphDef graph(ModelSpec spec, List<ConvolutionalWeights> weights) {
        requireNonNull(spec, "spec");
        if (spec.channels() != RGB_CHANNELS) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC,
                    "TensorFlow export takes RGB input (3 channels), the spec has " + spec.channels() + " channels");
        }
        List<ConvolutionalWeights> checked = FoldedConvolution.checkExportable(spec, weights);
        return new GraphWriter(spec, checked).write();
    }

    /** Walks the spec once, adding the nodes of each layer. */
    private static final class GraphWriter implements LayerSpec.Visitor<Void> {
        private final ModelSpec spec;
        private final List<ConvolutionalWeights> weights;
        private final List<TensorShape> inputShapes;
        private final List<TensorShape> outputShapes;
        private final GraphDef.Builder graph = GraphDef.newBuilder();
        private int layerIndex;
        private int convolutionalIndex;
        private String current = INPUT_NAME;

        GraphWriter(ModelSpec spec, List<ConvolutionalWeights> weights) {
            this.spec = spec;
            this.weights = weights;
            this.inputShapes = spec.inputShapes();
            this.outputShapes = spec.outputShapes();
        }

        GraphDef write() {
            graph.addNode(NodeDef.newBuilder().setName(INPUT_NAME).setOp("Placeholder")
                    .putAttr("dtype", type(DataType.DT_FLOAT))
                    .putAttr("shape", AttrValue.newBuilder().setShape(shape(1, spec.height(), spec.width(), RGB_CHANNELS)).build()));
            for (layerIndex = 0; layerIndex < spec.layers().size(); layerIndex++) {
                spec.layers().get(layerIndex).accept(this);
            }
            graph.addNode(NodeDef.newBuilder().setName(OUTPUT_NAME).setOp("Identity").addInput(current)
                    .putAttr("T", type(DataType.DT_FLOAT)));
            return graph.build();
        }

        @Override
        public Void visitConvolutional(ConvolutionalLayer layer) {
            FoldedConvolution folded = FoldedConvolution.of(weights.get(convolutionalIndex++));
            TensorShape input = inputShapes.get(layerIndex);
            TensorShape output = outputShapes.get(layerIndex);
            int padding = layer.padding();
            String paddingMode;
            if (samePadding(input.height(), layer.size(), layer.stride(), output.height(), padding)
                    && samePadding(input.width(), layer.size(), layer.stride(), output.width(), padding)) {
                paddingMode = SAME;
            }
            else {
                // Darknet pads `padding` zeros on every side and convolves the valid windows
                if (padding > 0) {
                    String paddings = constant(name("pad_paddings"), TensorProto.newBuilder().setDtype(DataType.DT_INT32)
                            .setTensorShape(shape(4, 2)).setTensorContent(ints(0, 0, padding, padding, padding, padding, 0, 0)).build());
                    addNode(NodeDef.newBuilder().setName(name("pad")).setOp("Pad").addInput(current).addInput(paddings)
                            .putAttr("T", type(DataType.DT_FLOAT)).putAttr("Tpaddings", type(DataType.DT_INT32)));
                }
                paddingMode = VALID;
            }
            String kernel = constant(name("kernel"), floatTensor(hwioKernel(folded.floatWeights(), layer.filters(), input.channels(), layer.size()),
                    layer.size(), layer.size(), input.channels(), layer.filters()));
            addNode(NodeDef.newBuilder().setName(name("conv")).setOp("Conv2D").addInput(current).addInput(kernel)
                    .putAttr("T", type(DataType.DT_FLOAT))
                    .putAttr("strides", integers(1, layer.stride(), layer.stride(), 1))
                    .putAttr("dilations", integers(1, 1, 1, 1))
                    .putAttr("padding", text(paddingMode))
                    .putAttr("data_format", text("NHWC")));
            String bias = constant(name("bias"), floatTensor(folded.floatBiases(), layer.filters()));
            addNode(NodeDef.newBuilder().setName(name("bias_add")).setOp("BiasAdd").addInput(current).addInput(bias)
                    .putAttr("T", type(DataType.DT_FLOAT)).putAttr("data_format", text("NHWC")));
            switch (layer.activation()) {
                case LEAKY -> {
                    String alpha = constant(name("leaky_alpha"), floatTensor(new float[] {LEAKY_ALPHA}));
                    String convolved = current;
                    addNode(NodeDef.newBuilder().setName(name("leaky_scaled")).setOp("Mul").addInput(convolved).addInput(alpha)
                            .putAttr("T", type(DataType.DT_FLOAT)));
                    addNode(NodeDef.newBuilder().setName(name("leaky")).setOp("Maximum").addInput(current).addInput(convolved)
                            .putAttr("T", type(DataType.DT_FLOAT)));
                }
                case RELU -> addNode(NodeDef.newBuilder().setName(name("relu")).setOp("Relu").addInput(current)
                        .putAttr("T", type(DataType.DT_FLOAT)));
                case LOGISTIC -> addNode(NodeDef.newBuilder().setName(name("sigmoid")).setOp("Sigmoid").addInput(current)
                        .putAttr("T", type(DataType.DT_FLOAT)));
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
            String paddingMode;
            if (samePadding(input.height(), layer.size(), layer.stride(), output.height(), layer.paddingBefore())
                    && samePadding(input.width(), layer.size(), layer.stride(), output.width(), layer.paddingBefore())) {
                paddingMode = SAME;
            }
            else if (validSize(input.height(), layer.size(), layer.stride()) == output.height()
                    && validSize(input.width(), layer.size(), layer.stride()) == output.width()) {
                paddingMode = VALID;
            }
            else {
                throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, "layer " + layerIndex + ": a " + layer.size() + "x" + layer.size()
                        + " stride-" + layer.stride() + " maxpool over " + input + " gives Darknet's " + output
                        + " neither with TensorFlow's SAME nor VALID padding; use a window and stride TensorFlow pools alike");
            }
            addNode(NodeDef.newBuilder().setName(name("maxpool")).setOp("MaxPool").addInput(current)
                    .putAttr("T", type(DataType.DT_FLOAT))
                    .putAttr("ksize", integers(1, layer.size(), layer.size(), 1))
                    .putAttr("strides", integers(1, layer.stride(), layer.stride(), 1))
                    .putAttr("padding", text(paddingMode))
                    .putAttr("data_format", text("NHWC")));
            return null;
        }

        @Override
        public Void visitRegion(RegionLayer layer) {
            // the region layer only interprets its input, which becomes the graph output
            return null;
        }

        private String name(String operation) {
            return "layer_" + layerIndex + "_" + operation;
        }

        private void addNode(NodeDef.Builder node) {
            graph.addNode(node);
            current = node.getName();
        }

        private String constant(String name, TensorProto value) {
            graph.addNode(NodeDef.newBuilder().setName(name).setOp("Const")
                    .putAttr("dtype", type(value.getDtype()))
                    .putAttr("value", AttrValue.newBuilder().setTensor(value).build()));
            return name;
        }
    }

    /**
     * Whether TensorFlow's SAME padding ({@code ceil(input / stride)} outputs, {@code max((output - 1) * stride + size -
     * input, 0)} cells of padding, the smaller half before) gives Darknet's output size with Darknet's padding before.
     */
    static boolean samePadding(int input, int size, int stride, int darknetOutput, int darknetPaddingBefore) {
        int output = (input + stride - 1) / stride;
        int total = Math.max((output - 1) * stride + size - input, 0);
        return output == darknetOutput && total / 2 == darknetPaddingBefore;
    }

    private static int validSize(int input, int size, int stride) {
        return (input - size) / stride + 1;
    }

    /** Darknet's {@code [out][in][kh][kw]} kernel as TensorFlow's {@code [kh][kw][in][out]}. */
    static float[] hwioKernel(float[] darknet, int filters, int inputChannels, int size) {
        float[] hwio = new float[darknet.length];
        for (int out = 0; out < filters; out++) {
            for (int in = 0; in < inputChannels; in++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        hwio[((y * size + x) * inputChannels + in) * filters + out] = darknet[((out * inputChannels + in) * size + y) * size + x];
                    }
                }
            }
        }
        return hwio;
    }

    private static TensorProto floatTensor(float[] values, long... dimensions) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(dimensions))
                .setTensorContent(ByteString.copyFrom(bytes.array())).build();
    }

    private static ByteString ints(int... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(values);
        return ByteString.copyFrom(bytes.array());
    }

    private static TensorShapeProto shape(long... dimensions) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dimension : dimensions) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dimension));
        }
        return shape.build();
    }

    private static AttrValue type(DataType type) {
        return AttrValue.newBuilder().setType(type).build();
    }

    private static AttrValue text(String value) {
        return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(value)).build();
    }

    private static AttrValue integers(long... values) {
        AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
        for (long value : values) {
            list.addI(value);
        }
        return AttrValue.newBuilder().setList(list).build();
    }
}

package org.yolofleet.core.onnx;

import ai.onnxruntime.OrtException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yolofleet.core.onnx.OnnxProto.DataType;
import org.yolofleet.core.onnx.OnnxProto.Graph;
import org.yolofleet.core.onnx.OnnxProto.IntegersAttribute;
import org.yolofleet.core.onnx.OnnxProto.Model;
import org.yolofleet.core.onnx.OnnxProto.Node;
import org.yolofleet.core.onnx.OnnxProto.OperatorSetId;
import org.yolofleet.core.onnx.OnnxProto.StringAttribute;
import org.yolofleet.core.onnx.OnnxProto.Tensor;
import org.yolofleet.core.onnx.OnnxProto.ValueInfo;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves, on the runtime itself, the premise of {@link OnnxExportOptions.MaxPoolPadding}: MaxPool's {@code pads} and an
 * edge Pad both behave like Darknet's minus-infinity padding. The input is all negative, so zero padding would show as
 * zeros on the right column and bottom row.
 */
class OnnxRuntimeMaxPoolPaddingTest {
    private static final float[] NEGATIVE_3_BY_3 = {
        -5, -2, -7,
        -4, -9, -3,
        -8, -6, -1};

    /** Darknet's size-2 stride-1 maxpool of the input: windows hanging over the right and bottom read only the image. */
    private static final float[] DARKNET_MAXIMA = {
        -2, -2, -3,
        -4, -1, -1,
        -6, -1, -1};

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void maxPoolPadsNeverPickAPaddedValue(boolean optimized) throws OrtException {
        Node maxPool = new Node(List.of("x"), List.of("y"), "maxpool", "MaxPool", List.of(
                IntegersAttribute.of("kernel_shape", 2, 2), IntegersAttribute.of("strides", 1, 1), IntegersAttribute.of("pads", 0, 0, 1, 1)));
        assertThat(run(List.of(maxPool), List.of(), optimized)).containsExactly(DARKNET_MAXIMA);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void edgePaddingThenMaxPoolEqualsDarknet(boolean optimized) throws OrtException {
        Tensor pads = Tensor.longs("pads", List.of(8L), new long[] {0, 0, 0, 0, 0, 0, 1, 1});
        Node pad = new Node(List.of("x", "pads"), List.of("padded"), "pad", "Pad", List.of(new StringAttribute("mode", "edge")));
        Node maxPool = new Node(List.of("padded"), List.of("y"), "maxpool", "MaxPool", List.of(
                IntegersAttribute.of("kernel_shape", 2, 2), IntegersAttribute.of("strides", 1, 1)));
        assertThat(run(List.of(pad, maxPool), List.of(pads), optimized)).containsExactly(DARKNET_MAXIMA);
    }

    private static float[] run(List<Node> nodes, List<Tensor> initializers, boolean optimized) throws OrtException {
        List<Long> shape = List.of(1L, 1L, 3L, 3L);
        Graph graph = new Graph(nodes, "padding", initializers, "",
                List.of(new ValueInfo("x", DataType.FLOAT, shape, "")), List.of(new ValueInfo("y", DataType.FLOAT, shape, "")), List.of());
        Model model = new Model(OnnxExporter.IR_VERSION, "test", "1", "", graph,
                List.of(new OperatorSetId("", OnnxExporter.OPSET_VERSION)), List.of());
        try (OnnxRuntimeSession session = new OnnxRuntimeSession(ProtobufWriter.serialize(model), optimized)) {
            return session.run("x", NEGATIVE_3_BY_3, new long[] {1, 1, 3, 3});
        }
    }
}

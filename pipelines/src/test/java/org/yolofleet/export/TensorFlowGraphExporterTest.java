package org.yolofleet.export;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;
import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.detect.DetectFixtures;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TensorFlowGraphExporterTest {
    private static final ModelSpec SMALL = DetectFixtures.smallTinyYolo(3).withInputSize(128, 128);
    /** The ops NCSDK 2 compiles that a Tiny-YOLOv2 (leaky and linear activations only) needs. */
    private static final Set<String> TINY_YOLO_OPERATIONS = Set.of("Placeholder", "Const", "Conv2D", "BiasAdd", "Mul", "Maximum", "MaxPool",
            "Identity", "Pad");

    @Test
    void graphHasOnlyNcsdkOpsNoLeakyReluAndTheNamedInputAndOutput() throws Exception {
        List<ConvolutionalWeights> weights = DetectFixtures.randomWeights(SMALL, 5).layers();
        GraphDef graph = GraphDef.parseFrom(new TensorFlowGraphExporter().export(SMALL, weights));

        Map<String, NodeDef> nodes = graph.getNodeList().stream().collect(Collectors.toMap(NodeDef::getName, node -> node));
        assertThat(graph.getNodeList()).extracting(NodeDef::getOp).doesNotContain("LeakyRelu").allMatch(TINY_YOLO_OPERATIONS::contains);
        assertThat(nodes.get("input").getOp()).isEqualTo("Placeholder");
        assertThat(nodes.get("input").getAttrOrThrow("dtype").getType()).isEqualTo(DataType.DT_FLOAT);
        assertThat(nodes.get("input").getAttrOrThrow("shape").getShape().getDimList()).extracting(TensorShapeProto.Dim::getSize)
                .containsExactly(1L, 128L, 128L, 3L);
        assertThat(nodes.get("output").getOp()).isEqualTo("Identity");
        // eight leaky layers, each Maximum(Mul(x, 0.1), x) over the BiasAdd of a folded convolution
        assertThat(graph.getNodeList()).filteredOn(node -> node.getOp().equals("Maximum")).hasSize(8)
                .allSatisfy(maximum -> {
                    NodeDef scaled = nodes.get(maximum.getInput(0));
                    assertThat(scaled.getOp()).isEqualTo("Mul");
                    assertThat(scaled.getInput(0)).isEqualTo(maximum.getInput(1));
                    assertThat(nodes.get(maximum.getInput(1)).getOp()).isEqualTo("BiasAdd");
                    assertThat(nodes.get(scaled.getInput(1)).getAttrOrThrow("value").getTensor().getTensorContent().asReadOnlyByteBuffer()
                            .order(ByteOrder.LITTLE_ENDIAN).getFloat()).isEqualTo(0.1f);
                });
        assertThat(graph.getNodeList()).filteredOn(node -> node.getOp().equals("BatchNormalization") || node.getOp().startsWith("FusedBatchNorm"))
                .isEmpty();
        // the 2x2 stride-1 maxpool (layer 11) pads right and bottom: SAME, never VALID (which would shrink the grid)
        assertThat(nodes.get("layer_11_maxpool").getAttrOrThrow("padding").getS().toStringUtf8()).isEqualTo("SAME");
        assertThat(nodes.get("layer_11_maxpool").getAttrOrThrow("strides").getList().getIList()).containsExactly(1L, 1L, 1L, 1L);
    }

    @Test
    void fullTinyYoloVocIsTheSameStructureAt416() throws Exception {
        ModelSpec voc = TinyYoloV2.voc();
        GraphDef graph = new TensorFlowGraphExporter().graph(voc, DetectFixtures.randomWeights(voc, 1).layers());
        assertThat(graph.getNodeList()).extracting(NodeDef::getOp).allMatch(TINY_YOLO_OPERATIONS::contains);
        assertThat(graph.getNodeList()).filteredOn(node -> node.getOp().equals("Conv2D")).hasSize(9)
                .allSatisfy(conv -> assertThat(conv.getAttrOrThrow("padding").getS().toStringUtf8()).isEqualTo("SAME"));
        assertThat(graph.getNodeList()).filteredOn(node -> node.getOp().equals("MaxPool")).hasSize(6);
    }

    @Test
    void sameMatchesDarknetsPaddingForTinyYolosLayers() {
        // 3x3 stride-1 convolution, pad 1: TensorFlow pads 1 on each side too
        assertThat(TensorFlowGraphExporter.samePadding(13, 3, 1, 13, 1)).isTrue();
        assertThat(TensorFlowGraphExporter.samePadding(13, 1, 1, 13, 0)).isTrue();
        // Darknet's 2x2 stride-1 maxpool: 13 -> 13, nothing before, one cell after
        assertThat(TensorFlowGraphExporter.samePadding(13, 2, 1, 13, 0)).isTrue();
        assertThat(TensorFlowGraphExporter.samePadding(26, 2, 2, 13, 0)).isTrue();
        // a 3x3 stride-2 convolution with pad 1 on an even input: TensorFlow puts 0 before and 1 after, Darknet 1 before
        assertThat(TensorFlowGraphExporter.samePadding(26, 3, 2, 13, 1)).isFalse();
    }

    @Test
    void kernelBecomesHeightWidthInOut() {
        // 2 filters over 3 channels, 2x2: value = out * 100 + in * 10 + y * 2 + x
        float[] darknet = new float[2 * 3 * 2 * 2];
        for (int out = 0; out < 2; out++) {
            for (int in = 0; in < 3; in++) {
                for (int y = 0; y < 2; y++) {
                    for (int x = 0; x < 2; x++) {
                        darknet[((out * 3 + in) * 2 + y) * 2 + x] = out * 100 + in * 10 + y * 2 + x;
                    }
                }
            }
        }
        float[] hwio = TensorFlowGraphExporter.hwioKernel(darknet, 2, 3, 2);
        // [y=1][x=0][in=2][out=1]
        assertThat(hwio[((1 * 2 + 0) * 3 + 2) * 2 + 1]).isEqualTo(100 + 20 + 2);
        assertThat(hwio[0]).isEqualTo(0);
        assertThat(hwio[1]).isEqualTo(100);
    }

    /**
     * TensorFlow's SAME max pooling ignores the padded cells, as Darknet's minus-infinity padding does: on all-negative
     * input the right column and bottom row keep their own (negative) maxima, where zero padding would give 0.
     */
    @Test
    void tensorFlowSameMaxPoolIgnoresPaddingLikeDarknet() {
        GraphDef graph = GraphDef.newBuilder()
                .addNode(NodeDef.newBuilder().setName("input").setOp("Placeholder")
                        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
                        .putAttr("shape", AttrValue.newBuilder().setShape(TensorShapeProto.newBuilder()
                                .addDim(dim(1)).addDim(dim(3)).addDim(dim(3)).addDim(dim(3))).build()))
                .addNode(NodeDef.newBuilder().setName("output").setOp("MaxPool").addInput("input")
                        .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
                        .putAttr("ksize", integers(1, 2, 2, 1))
                        .putAttr("strides", integers(1, 1, 1, 1))
                        .putAttr("padding", AttrValue.newBuilder().setS(ByteString.copyFromUtf8("SAME")).build()))
                .build();
        float[] nchw = new float[27];
        for (int index = 0; index < nchw.length; index++) {
            nchw[index] = -1 - index;
        }
        try (TensorFlowGraphRunner runner = TensorFlowGraphRunner.open(graph.toByteArray(), "maxpool")) {
            TensorFlowGraphRunner.Output output = runner.run(TensorFlowGraphRunner.toNhwc(nchw, 3, 3, 3));
            assertThat(output.shape()).containsExactly(1, 3, 3, 3);
            float[] pooled = output.toNchw();
            for (int channel = 0; channel < 3; channel++) {
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 3; x++) {
                        // Darknet: the max over the window's cells inside the image
                        float expected = Float.NEGATIVE_INFINITY;
                        for (int dy = 0; dy < 2; dy++) {
                            for (int dx = 0; dx < 2; dx++) {
                                if (y + dy < 3 && x + dx < 3) {
                                    expected = Math.max(expected, nchw[(channel * 3 + y + dy) * 3 + x + dx]);
                                }
                            }
                        }
                        assertThat(pooled[(channel * 3 + y) * 3 + x]).as("channel %d, y %d, x %d", channel, y, x).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void writesTheFile(@TempDir Path directory) throws Exception {
        List<ConvolutionalWeights> weights = DetectFixtures.randomWeights(SMALL, 2).layers();
        Path file = directory.resolve("model.pb");
        new TensorFlowGraphExporter().export(SMALL, weights, file);
        assertThat(Files.readAllBytes(file)).isEqualTo(new TensorFlowGraphExporter().export(SMALL, weights));
    }

    @Test
    void rejectsWeightsForAnotherSpec() {
        List<ConvolutionalWeights> weights = DetectFixtures.randomWeights(SMALL, 1).layers();
        assertThatThrownBy(() -> new TensorFlowGraphExporter().export(SMALL, weights.subList(0, 8)))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_WEIGHTS))
                .hasMessageContaining("9 convolutional layers, got weights for 8");
    }

    private static TensorShapeProto.Dim dim(long size) {
        return TensorShapeProto.Dim.newBuilder().setSize(size).build();
    }

    private static AttrValue integers(long... values) {
        AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
        for (long value : values) {
            list.addI(value);
        }
        return AttrValue.newBuilder().setList(list).build();
    }
}

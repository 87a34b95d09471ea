package org.yolofleet.core.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSpecTest {
    private static final RegionLayer ONE_ANCHOR_ONE_CLASS =
            new RegionLayer(List.of(new Anchor(1, 1)), 1, 4, true, 0.2, true, 5, 1, 1, 1, true, 0.6, true, true);

    private static ModelSpec spec(int width, int height, List<LayerSpec> layers) {
        return new ModelSpec(width, height, 3, ResizeMode.LETTERBOX, NetOptions.DARKNET_DEFAULTS, layers);
    }

    private static List<LayerSpec> smallLayers(int headFilters) {
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(new ConvolutionalLayer(4, 3, 1, true, true, Activation.LEAKY));
        for (int pool = 0; pool < 5; pool++) {
            layers.add(new MaxPoolLayer(2, 2));
        }
        layers.add(new ConvolutionalLayer(headFilters, 1, 1, true, false, Activation.LINEAR));
        layers.add(ONE_ANCHOR_ONE_CLASS);
        return layers;
    }

    @Test
    void gridIsTheInputSizeOverThirtyTwo() {
        ModelSpec voc = TinyYoloV2.voc();

        assertThat(voc.gridWidth()).isEqualTo(13);
        assertThat(voc.gridHeight()).isEqualTo(13);
        ModelSpec wide = voc.withInputSize(608, 320);
        assertThat(wide.gridWidth()).isEqualTo(19);
        assertThat(wide.gridHeight()).isEqualTo(10);
        assertThat(wide.inputShape()).isEqualTo(new TensorShape(3, 320, 608));
    }

    @Test
    void walksTheShapesOfEveryLayer() {
        ModelSpec voc = TinyYoloV2.voc();
        List<TensorShape> outputs = voc.outputShapes();
        List<TensorShape> inputs = voc.inputShapes();

        assertThat(outputs).hasSize(16);
        assertThat(outputs.get(0)).isEqualTo(new TensorShape(16, 416, 416));
        assertThat(outputs.get(1)).isEqualTo(new TensorShape(16, 208, 208));
        assertThat(outputs.get(9)).isEqualTo(new TensorShape(256, 13, 13));
        assertThat(outputs.get(11)).as("size-2 stride-1 maxpool").isEqualTo(new TensorShape(512, 13, 13));
        assertThat(outputs.get(14)).isEqualTo(new TensorShape(125, 13, 13));
        assertThat(inputs).hasSize(16);
        assertThat(inputs.get(0)).isEqualTo(new TensorShape(3, 416, 416));
        assertThat(inputs.get(15)).isEqualTo(outputs.get(14));
    }

    @Test
    void withClassesFixesTheHeadFilters() {
        ModelSpec voc = TinyYoloV2.voc();
        ModelSpec threeClasses = voc.withClasses(3);

        assertThat(threeClasses.classCount()).isEqualTo(3);
        assertThat(threeClasses.convolutionalLayers().get(8).filters()).isEqualTo(5 * (5 + 3));
        assertThat(threeClasses.layers().subList(0, 14)).isEqualTo(voc.layers().subList(0, 14));
        assertThat(threeClasses.anchors()).isEqualTo(voc.anchors());
        assertThat(threeClasses.withClasses(20)).isEqualTo(voc);
    }

    @Test
    void withAnchorsFixesTheHeadFilters() {
        List<Anchor> three = List.of(new Anchor(1, 1), new Anchor(2, 3), new Anchor(5, 4));
        ModelSpec threeAnchors = TinyYoloV2.voc().withAnchors(three);

        assertThat(threeAnchors.anchors()).isEqualTo(three);
        assertThat(threeAnchors.region().anchorCount()).isEqualTo(3);
        assertThat(threeAnchors.convolutionalLayers().get(8).filters()).isEqualTo(3 * 25);
    }

    @Test
    void withResizeModeAndWithNetOptionsChangeOnlyThose() {
        ModelSpec voc = TinyYoloV2.voc();

        ModelSpec resized = voc.withResizeMode(ResizeMode.RESIZE);
        assertThat(resized.resizeMode()).isEqualTo(ResizeMode.RESIZE);
        assertThat(resized.layers()).isEqualTo(voc.layers());
        assertThat(voc.withNetOptions(NetOptions.DARKNET_DEFAULTS).netOptions()).isEqualTo(NetOptions.DARKNET_DEFAULTS);
    }

    @Test
    void smallSpecHasAOneCellGrid() {
        ModelSpec small = spec(32, 32, smallLayers(6));

        assertThat(small.gridWidth()).isEqualTo(1);
        assertThat(small.convolutionalLayers()).hasSize(2);
        assertThat(small.region()).isEqualTo(ONE_ANCHOR_ONE_CLASS);
    }

    @Test
    void copiesTheLayerList() {
        List<LayerSpec> layers = smallLayers(6);
        ModelSpec small = spec(32, 32, layers);
        layers.add(0, new MaxPoolLayer(2, 2));

        assertThat(small.layers()).hasSize(8);
        assertThatThrownBy(() -> small.layers().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void inputSizeMustBeAPositiveMultipleOfThirtyTwo() {
        assertThatThrownBy(() -> spec(400, 416, smallLayers(6))).hasMessageContaining("width must be a positive multiple of 32, got 400");
        assertThatThrownBy(() -> spec(416, 0, smallLayers(6))).hasMessageContaining("height");
        assertThatThrownBy(() -> TinyYoloV2.voc().withInputSize(416, 420)).hasMessageContaining("420");
    }

    @Test
    void regionMustBeTheLastLayerAndTheOnlyOne() {
        List<LayerSpec> noRegion = smallLayers(6).subList(0, 7);
        assertThatThrownBy(() -> spec(32, 32, noRegion)).hasMessageContaining("last layer must be a region");

        List<LayerSpec> twoRegions = new ArrayList<>(smallLayers(6));
        twoRegions.add(0, ONE_ANCHOR_ONE_CLASS);
        assertThatThrownBy(() -> spec(32, 32, twoRegions)).hasMessageContaining("layer 0 is a region layer");
    }

    @Test
    void layerBeforeTheRegionMustBeConvolutional() {
        List<LayerSpec> layers = new ArrayList<>(smallLayers(6));
        layers.add(layers.size() - 1, new MaxPoolLayer(2, 1));

        assertThatThrownBy(() -> spec(32, 32, layers)).hasMessageContaining("before the region layer must be convolutional");
    }

    @Test
    void headFiltersMustMatchTheRegion() {
        assertThatThrownBy(() -> spec(32, 32, smallLayers(7)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 7")
                .hasMessageContaining("needs 1 * (4 + 1 + 1) = 6 input channels, the layer before it gives 7");
    }

    @Test
    void everyLayerNeedsAnInputLargeEnough() {
        List<LayerSpec> layers = new ArrayList<>(smallLayers(6));
        layers.add(6, new ConvolutionalLayer(6, 3, 1, false, false, Activation.LINEAR));

        assertThatThrownBy(() -> spec(32, 32, layers)).hasMessageContaining("layer 6 with input 4x1x1");
    }

    @Test
    void tensorShapeCountsElementsAndPrintsChannelsFirst() {
        TensorShape shape = new TensorShape(125, 13, 13);

        assertThat(shape.elementCount()).isEqualTo(21_125);
        assertThat(shape).hasToString("125x13x13");
        assertThatThrownBy(() -> new TensorShape(0, 13, 13)).isInstanceOf(IllegalArgumentException.class);
    }
}

package org.yolofleet.core.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TinyYoloV2Test {
    private static ConvolutionalLayer leaky(int filters) {
        return new ConvolutionalLayer(filters, 3, 1, true, true, Activation.LEAKY);
    }

    @Test
    void vocIsDarknetsYolov2TinyVocCfg() {
        ModelSpec voc = TinyYoloV2.voc();

        assertThat(voc.width()).isEqualTo(416);
        assertThat(voc.height()).isEqualTo(416);
        assertThat(voc.channels()).isEqualTo(3);
        assertThat(voc.resizeMode()).isEqualTo(ResizeMode.LETTERBOX);
        assertThat(voc.layers()).containsExactly(
                leaky(16), new MaxPoolLayer(2, 2),
                leaky(32), new MaxPoolLayer(2, 2),
                leaky(64), new MaxPoolLayer(2, 2),
                leaky(128), new MaxPoolLayer(2, 2),
                leaky(256), new MaxPoolLayer(2, 2),
                leaky(512), new MaxPoolLayer(2, 1),
                leaky(1024),
                leaky(1024),
                new ConvolutionalLayer(125, 1, 1, true, false, Activation.LINEAR),
                new RegionLayer(List.of(new Anchor(1.08, 1.19), new Anchor(3.42, 4.41), new Anchor(6.63, 11.38),
                        new Anchor(9.42, 5.11), new Anchor(16.62, 10.52)),
                        20, 4, true, 0.2, true, 5, 1, 1, 1, true, 0.6, true, true));
    }

    @Test
    void vocNetOptionsAreThoseOfTheCfg() {
        NetOptions net = TinyYoloV2.voc().netOptions();

        assertThat(net.batch()).isEqualTo(1);
        assertThat(net.subdivisions()).isEqualTo(1);
        assertThat(net.momentum()).isEqualTo(0.9);
        assertThat(net.decay()).isEqualTo(0.0005);
        assertThat(net.saturation()).isEqualTo(1.5);
        assertThat(net.exposure()).isEqualTo(1.5);
        assertThat(net.hue()).isEqualTo(0.1);
        assertThat(net.learningRate()).isEqualTo(0.001);
        assertThat(net.burnIn()).isZero();
        assertThat(net.maxBatches()).isEqualTo(40200);
        assertThat(net.policy()).isEqualTo(LearningRatePolicy.STEPS);
        assertThat(net.steps()).containsExactly(-1, 100, 20000, 30000);
        assertThat(net.scales()).containsExactly(0.1, 10.0, 0.1, 0.1);
    }

    @Test
    void cocoHasA512FilterEighthLayer80ClassesAndNoRescore() {
        ModelSpec coco = TinyYoloV2.coco();
        List<ConvolutionalLayer> convolutions = coco.convolutionalLayers();

        assertThat(convolutions).extracting(ConvolutionalLayer::filters).containsExactly(16, 32, 64, 128, 256, 512, 1024, 512, 425);
        assertThat(coco.classCount()).isEqualTo(80);
        assertThat(coco.region().rescore()).isFalse();
        assertThat(coco.anchors()).first().isEqualTo(new Anchor(0.57273, 0.677385));
        assertThat(coco.netOptions().burnIn()).isEqualTo(1000);
        assertThat(coco.netOptions().steps()).containsExactly(400000, 450000);
        assertThat(coco.gridWidth()).isEqualTo(13);
    }

    @Test
    void specChangesClassesAnchorsSizeAndResizeModeOfTheVocLayout() {
        List<Anchor> anchors = List.of(new Anchor(1, 2), new Anchor(4, 3));
        ModelSpec spec = TinyYoloV2.spec(3, anchors, 320, 608, ResizeMode.RESIZE);

        assertThat(spec.classCount()).isEqualTo(3);
        assertThat(spec.anchors()).isEqualTo(anchors);
        assertThat(spec.convolutionalLayers().get(8).filters()).isEqualTo(2 * 8);
        assertThat(spec.convolutionalLayers().get(7).filters()).isEqualTo(1024);
        assertThat(spec.gridWidth()).isEqualTo(10);
        assertThat(spec.gridHeight()).isEqualTo(19);
        assertThat(spec.resizeMode()).isEqualTo(ResizeMode.RESIZE);
        assertThat(spec.netOptions()).isEqualTo(TinyYoloV2.VOC_NET_OPTIONS);
        assertThat(TinyYoloV2.spec(20, TinyYoloV2.VOC_ANCHORS, 416, 416, ResizeMode.LETTERBOX)).isEqualTo(TinyYoloV2.voc());
    }
}

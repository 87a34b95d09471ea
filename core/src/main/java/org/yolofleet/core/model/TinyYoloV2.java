package org.yolofleet.core.model;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The built-in Tiny-YOLOv2 networks, equal to Darknet's {@code cfg/yolov2-tiny-voc.cfg} and {@code cfg/yolov2-tiny.cfg}.
 *
 * <p>Both are nine convolutional layers (3x3, batch-normalised, leaky) of 16, 32, 64, 128, 256 and 512 filters, each of
 * the first five followed by a 2x2 stride-2 maxpool and the sixth by a 2x2 stride-1 maxpool, then 3x3 convolutions of
 * 1024 and 1024 (VOC) or 1024 and 512 (COCO), a linear 1x1 convolution of {@code num * (5 + classes)} filters with a
 * bias and no batch norm, and the region layer with 5 anchors.
 */
public final class TinyYoloV2 {
    /** The anchors of {@code yolov2-tiny-voc.cfg}, in grid cells. */
    public static final List<Anchor> VOC_ANCHORS = List.of(
            new Anchor(1.08, 1.19), new Anchor(3.42, 4.41), new Anchor(6.63, 11.38), new Anchor(9.42, 5.11), new Anchor(16.62, 10.52));

    /** The anchors of {@code yolov2-tiny.cfg} (COCO), in grid cells. */
    public static final List<Anchor> COCO_ANCHORS = List.of(
            new Anchor(0.57273, 0.677385), new Anchor(1.87446, 2.06253), new Anchor(3.33843, 5.47434),
            new Anchor(7.88282, 3.52778), new Anchor(9.77052, 9.16828));

    /** The {@code [net]} section of {@code yolov2-tiny-voc.cfg} (its testing batch of 1). */
    public static final NetOptions VOC_NET_OPTIONS = new NetOptions(1, 1, 0.9, 0.0005, 0, 1.5, 1.5, 0.1, 0.001, 0, 40200,
            LearningRatePolicy.STEPS, List.of(-1, 100, 20000, 30000), List.of(0.1, 10.0, 0.1, 0.1));

    /** The {@code [net]} section of {@code yolov2-tiny.cfg} (its testing batch of 1). */
    public static final NetOptions COCO_NET_OPTIONS = new NetOptions(1, 1, 0.9, 0.0005, 0, 1.5, 1.5, 0.1, 0.001, 1000, 500200,
            LearningRatePolicy.STEPS, List.of(400000, 450000), List.of(0.1, 0.1));

    /** Input width and height of both Darknet cfgs. */
    public static final int DEFAULT_INPUT_SIZE = 416;

    private static final int VOC_CLASSES = 20;
    private static final int COCO_CLASSES = 80;

    private TinyYoloV2() {}

    /** Darknet's {@code yolov2-tiny-voc.cfg}: 416 x 416, 20 classes, letterboxed input. */
    public static ModelSpec voc() {
        return spec(VOC_CLASSES, VOC_ANCHORS, DEFAULT_INPUT_SIZE, DEFAULT_INPUT_SIZE, ResizeMode.LETTERBOX);
    }

    /** Darknet's {@code yolov2-tiny.cfg}: the COCO variant, 80 classes, a 512-filter eighth layer, no rescore. */
    public static ModelSpec coco() {
        RegionLayer region = region(COCO_ANCHORS, COCO_CLASSES, false);
        return new ModelSpec(DEFAULT_INPUT_SIZE, DEFAULT_INPUT_SIZE, 3, ResizeMode.LETTERBOX, COCO_NET_OPTIONS, layers(512, region));
    }

    /**
     * The VOC network for other classes, anchors and input size: the layout and training settings of
     * {@code yolov2-tiny-voc.cfg}, with {@code anchors.size() * (5 + classes)} filters in the last convolution.
     *
     * @param width input width, a positive multiple of 32
     * @param height input height, a positive multiple of 32
     */
    public static ModelSpec spec(int classes, List<Anchor> anchors, int width, int height, ResizeMode resizeMode) {
        requireNonNull(anchors, "anchors");
        RegionLayer region = region(anchors, classes, true);
        return new ModelSpec(width, height, 3, resizeMode, VOC_NET_OPTIONS, layers(1024, region));
    }

    private static RegionLayer region(List<Anchor> anchors, int classes, boolean rescore) {
        return new RegionLayer(anchors, classes, RegionLayer.COORDINATES, true, 0.2, rescore, 5, 1, 1, 1, true, 0.6, true, true);
    }

    private static List<LayerSpec> layers(int eighthLayerFilters, RegionLayer region) {
        List<LayerSpec> layers = new ArrayList<>();
        for (int filters : new int[] {16, 32, 64, 128, 256}) {
            layers.add(leakyConvolution(filters));
            layers.add(new MaxPoolLayer(2, 2));
        }
        layers.add(leakyConvolution(512));
        layers.add(new MaxPoolLayer(2, 1));
        layers.add(leakyConvolution(1024));
        layers.add(leakyConvolution(eighthLayerFilters));
        layers.add(new ConvolutionalLayer(region.outputChannels(), 1, 1, true, false, Activation.LINEAR));
        layers.add(region);
        return layers;
    }

    private static ConvolutionalLayer leakyConvolution(int filters) {
        return new ConvolutionalLayer(filters, 3, 1, true, true, Activation.LEAKY);
    }
}

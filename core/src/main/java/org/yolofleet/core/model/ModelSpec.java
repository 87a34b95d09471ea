package org.yolofleet.core.model;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The one description of a detector network that everything else walks: the DL4J graph builder, the Darknet cfg and
 * weights formats, the exporters and the model summary. It holds what a Darknet cfg holds, plus how images are resized.
 *
 * <p>Invariants checked on construction: the input width and height are positive multiples of 32; the layers end with
 * the only {@link RegionLayer}, directly after a {@link ConvolutionalLayer} whose filters match the region
 * ({@code num * (coords + 1 + classes)}); every layer gets an input large enough for it.
 *
 * @param resizeMode how images are brought to {@code width x height} before the network sees them
 * @param resizeFilter how their pixels are resampled on the way: the filter the network was trained with
 * @param netOptions the training settings of the cfg's {@code [net]} section
 * @param layers the layers in cfg order
 */
public record ModelSpec(int width, int height, int channels, ResizeMode resizeMode, ResizeFilter resizeFilter, NetOptions netOptions,
                        List<LayerSpec> layers) {
    /** The input width and height must be multiples of this: the network's total stride. */
    public static final int SIZE_MULTIPLE = 32;

    public ModelSpec {
        requireNonNull(resizeMode, "resizeMode");
        requireNonNull(resizeFilter, "resizeFilter");
        requireNonNull(netOptions, "netOptions");
        layers = List.copyOf(requireNonNull(layers, "layers"));
        requireSizeMultiple("width", width);
        requireSizeMultiple("height", height);
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be at least 1, got " + channels);
        }
        requireRegionLast(layers);
        walkShapes(new TensorShape(channels, height, width), layers);
    }

    /** A network that yolofleet builds and trains itself: its images are resampled with {@link ResizeFilter#AREA}. */
    public ModelSpec(int width, int height, int channels, ResizeMode resizeMode, NetOptions netOptions, List<LayerSpec> layers) {
        this(width, height, channels, resizeMode, ResizeFilter.AREA, netOptions, layers);
    }

    private static void requireSizeMultiple(String name, int value) {
        if (value < SIZE_MULTIPLE || value % SIZE_MULTIPLE != 0) {
            throw new IllegalArgumentException("input " + name + " must be a positive multiple of " + SIZE_MULTIPLE + ", got " + value);
        }
    }

    private static void requireRegionLast(List<LayerSpec> layers) {
        int last = layers.size() - 1;
        if (last < 1 || !(layers.get(last) instanceof RegionLayer)) {
            throw new IllegalArgumentException("the last layer must be a region layer after at least one convolutional layer");
        }
        for (int index = 0; index < last; index++) {
            if (layers.get(index) instanceof RegionLayer) {
                throw new IllegalArgumentException("layer " + index + " is a region layer, but only the last layer may be one");
            }
        }
        if (!(layers.get(last - 1) instanceof ConvolutionalLayer)) {
            throw new IllegalArgumentException("the layer before the region layer must be convolutional, layer " + (last - 1) + " is not");
        }
    }

    private static List<TensorShape> walkShapes(TensorShape input, List<LayerSpec> layers) {
        List<TensorShape> shapes = new ArrayList<>(layers.size());
        TensorShape current = input;
        for (int index = 0; index < layers.size(); index++) {
            try {
                current = layers.get(index).outputShape(current);
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + index + " with input " + current + ": " + e.getMessage(), e);
            }
            shapes.add(current);
        }
        return List.copyOf(shapes);
    }

    /** The shape of one input image: channels x height x width. */
    public TensorShape inputShape() {
        return new TensorShape(channels, height, width);
    }

    /** The output shape of every layer, in layer order. */
    public List<TensorShape> outputShapes() {
        return walkShapes(inputShape(), layers);
    }

    /** The input shape of every layer, in layer order: the input image, then each layer's output but the last. */
    public List<TensorShape> inputShapes() {
        List<TensorShape> inputs = new ArrayList<>(layers.size());
        inputs.add(inputShape());
        List<TensorShape> outputs = outputShapes();
        inputs.addAll(outputs.subList(0, outputs.size() - 1));
        return List.copyOf(inputs);
    }

    /** The final (and only) region layer. */
    public RegionLayer region() {
        return (RegionLayer) layers.get(layers.size() - 1);
    }

    public int classCount() {
        return region().classes();
    }

    public List<Anchor> anchors() {
        return region().anchors();
    }

    /** Grid cells across: the width of the region layer's input (input width / 32 for Tiny-YOLOv2). */
    public int gridWidth() {
        return outputShapes().get(layers.size() - 1).width();
    }

    /** Grid cells down: the height of the region layer's input. */
    public int gridHeight() {
        return outputShapes().get(layers.size() - 1).height();
    }

    /** The convolutional layers in cfg order: the layers a Darknet weights file stores. */
    public List<ConvolutionalLayer> convolutionalLayers() {
        return layers.stream()
                .filter(ConvolutionalLayer.class::isInstance)
                .map(ConvolutionalLayer.class::cast)
                .toList();
    }

    /** The same network for another class count; the last convolutional layer gets {@code num * (5 + classes)} filters. */
    public ModelSpec withClasses(int classes) {
        return withRegion(region().withClasses(classes));
    }

    /** The same network with other anchors; the last convolutional layer gets {@code num * (5 + classes)} filters. */
    public ModelSpec withAnchors(List<Anchor> anchors) {
        return withRegion(region().withAnchors(anchors));
    }

    public ModelSpec withInputSize(int newWidth, int newHeight) {
        return new ModelSpec(newWidth, newHeight, channels, resizeMode, resizeFilter, netOptions, layers);
    }

    public ModelSpec withResizeMode(ResizeMode newResizeMode) {
        return new ModelSpec(width, height, channels, newResizeMode, resizeFilter, netOptions, layers);
    }

    public ModelSpec withResizeFilter(ResizeFilter newResizeFilter) {
        return new ModelSpec(width, height, channels, resizeMode, newResizeFilter, netOptions, layers);
    }

    public ModelSpec withNetOptions(NetOptions newNetOptions) {
        return new ModelSpec(width, height, channels, resizeMode, resizeFilter, newNetOptions, layers);
    }

    /** The same network with another {@code [region]} head (same anchors and classes, e.g. other loss scales). */
    public ModelSpec withRegion(RegionLayer region) {
        int regionIndex = layers.size() - 1;
        List<LayerSpec> newLayers = new ArrayList<>(layers);
        ConvolutionalLayer head = (ConvolutionalLayer) newLayers.get(regionIndex - 1);
        newLayers.set(regionIndex - 1, head.withFilters(region.outputChannels()));
        newLayers.set(regionIndex, region);
        return new ModelSpec(width, height, channels, resizeMode, resizeFilter, netOptions, newLayers);
    }
}

package org.yolofleet.core.model;

/**
 * One layer of a {@link ModelSpec}, in the order Darknet lists them in a cfg file.
 *
 * <p>Code that turns a spec into something else (a DL4J graph, an ONNX file, Darknet weights) walks the layers with a
 * {@link Visitor}: adding a layer type then fails to compile every walker that does not handle it yet.
 */
public sealed interface LayerSpec permits ConvolutionalLayer, MaxPoolLayer, RegionLayer {
    /** The shape this layer produces from an input of the given shape; throws if the input is too small for it. */
    TensorShape outputShape(TensorShape input);

    <R> R accept(Visitor<R> visitor);

    /** One method per layer type: the exhaustive switch over layer types that Java 17 can check. */
    interface Visitor<R> {
        R visitConvolutional(ConvolutionalLayer layer);

        R visitMaxPool(MaxPoolLayer layer);

        R visitRegion(RegionLayer layer);
    }
}

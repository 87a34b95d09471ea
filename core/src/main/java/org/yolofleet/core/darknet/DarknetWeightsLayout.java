package org.yolofleet.core.darknet;

import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.LayerSpec;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.TensorShape;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a Darknet weights file for a spec holds after its header: one {@link ConvolutionalLayout} per convolutional
 * layer, in cfg order (maxpool and region layers have no weights).
 */
public record DarknetWeightsLayout(List<ConvolutionalLayout> layers) {
    public DarknetWeightsLayout {
        layers = List.copyOf(requireNonNull(layers, "layers"));
    }

    public static DarknetWeightsLayout of(ModelSpec spec) {
        List<TensorShape> inputs = spec.inputShapes();
        int convolutionalCount = spec.convolutionalLayers().size();
        List<ConvolutionalLayout> layouts = new ArrayList<>();
        for (int index = 0; index < spec.layers().size(); index++) {
            LayerSpec layer = spec.layers().get(index);
            if (layer instanceof ConvolutionalLayer convolution) {
                layouts.add(new ConvolutionalLayout(index, layouts.size(), convolutionalCount, convolution, inputs.get(index).channels()));
            }
        }
        return new DarknetWeightsLayout(layouts);
    }

    /** The layout of the first {@code count} convolutional layers only. */
    public DarknetWeightsLayout firstLayers(int count) {
        if (count < 1 || count > layers.size()) {
            throw new IllegalArgumentException("first layers must be in [1, " + layers.size() + "], got " + count);
        }
        return new DarknetWeightsLayout(layers.subList(0, count));
    }

    /** Bytes of all layers, without the header. */
    public long layerByteCount() {
        return layers.stream().mapToLong(ConvolutionalLayout::byteCount).sum();
    }

    /** Bytes of a whole file with this layout and the header of the given version. */
    public long fileByteCount(int major, int minor) {
        return DarknetWeights.headerByteCount(major, minor) + layerByteCount();
    }
}

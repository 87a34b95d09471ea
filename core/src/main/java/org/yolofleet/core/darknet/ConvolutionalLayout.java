package org.yolofleet.core.darknet;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ConvolutionalLayer;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * What a weights file must hold for one convolutional layer of a spec: {@code filters} biases, with batch
 * normalisation {@code filters} scales, rolling means and rolling variances, then {@code filters * inputChannels *
 * size * size} weights, all float32.
 *
 * @param layerIndex the layer's index among all layers of the spec, counted from 0 as Darknet prints it
 * @param convolutionalIndex the layer's index among the convolutional layers, counted from 0
 * @param convolutionalCount the number of convolutional layers in the spec
 */
public record ConvolutionalLayout(int layerIndex, int convolutionalIndex, int convolutionalCount, ConvolutionalLayer layer, int inputChannels) {
    public ConvolutionalLayout {
        requireNonNull(layer, "layer");
        if (layerIndex < 0 || convolutionalIndex < 0 || convolutionalIndex >= convolutionalCount || inputChannels < 1) {
            throw new IllegalArgumentException("bad layout indices or input channels: layer " + layerIndex + ", convolutional "
                    + convolutionalIndex + " of " + convolutionalCount + ", input channels " + inputChannels);
        }
    }

    public long weightCount() {
        return (long) layer.filters() * inputChannels * layer.size() * layer.size();
    }

    /** Floats per filter before the weights: the bias, and with batch normalisation scale, mean and variance. */
    public int valuesPerFilter() {
        return layer.batchNormalize() ? 4 : 1;
    }

    public long valueCount() {
        return (long) valuesPerFilter() * layer.filters() + weightCount();
    }

    public long byteCount() {
        return valueCount() * Float.BYTES;
    }

    /** Names the layer for error messages, such as {@code layer 14 (convolutional 9 of 9: 125 filters 1x1 over 1024 channels, no batch norm)}. */
    public String describe() {
        return String.format(Locale.ROOT, "layer %d (convolutional %d of %d: %d filters %dx%d over %d channels, %s)",
                layerIndex, convolutionalIndex + 1, convolutionalCount, layer.filters(), layer.size(), layer.size(), inputChannels,
                batchNormalization(layer.batchNormalize()));
    }

    /** Throws {@link ErrorCode#BAD_WEIGHTS} unless the values have exactly this layout. */
    public void check(ConvolutionalWeights values) {
        if (values.filterCount() != layer.filters()
                || values.hasBatchNormalization() != layer.batchNormalize()
                || values.weightCount() != weightCount()) {
            throw new YoloFleetException(ErrorCode.BAD_WEIGHTS, String.format(Locale.ROOT,
                    "%s expects %d filters, %s and %,d weights; got %d filters, %s and %,d weights",
                    describe(), layer.filters(), batchNormalization(layer.batchNormalize()), weightCount(),
                    values.filterCount(), batchNormalization(values.hasBatchNormalization()), values.weightCount()));
        }
    }

    private static String batchNormalization(boolean present) {
        return present ? "batch norm" : "no batch norm";
    }
}

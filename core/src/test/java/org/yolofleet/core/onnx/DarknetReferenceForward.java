package org.yolofleet.core.onnx;

import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.LayerSpec;
import org.yolofleet.core.model.MaxPoolLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.TensorShape;

import java.util.Iterator;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * Darknet's inference forward pass in plain Java, written from Darknet's C code ({@code forward_convolutional_layer},
 * {@code normalize_cpu}, {@code activate_array}, {@code forward_maxpool_layer}) and sharing nothing with the exporter:
 * the yardstick the exported graphs are measured against.
 *
 * <ul>
 *   <li>convolution: zero padding of {@code size / 2} when {@code pad=1}, sums accumulated in double;</li>
 *   <li>batch normalisation: {@code scale * (x - mean) / (sqrt(variance) + .000001f) + bias}; without it, {@code x + bias};</li>
 *   <li>activations: leaky {@code x > 0 ? x : .1f * x}, relu, logistic, linear;</li>
 *   <li>maxpool: windows start at {@code -((size - 1) / 2)}, positions outside the input count as {@code -FLT_MAX};</li>
 *   <li>region: the identity (Darknet's region layer transforms its output in place only for decoding).</li>
 * </ul>
 * Activations are stored as float between layers, as Darknet stores them, or in a narrower format a caller chooses
 * (half precision, to simulate an accelerator that computes in FP16).
 */
final class DarknetReferenceForward {
    private DarknetReferenceForward() {}

    /** The region tensor for one CHW image. */
    static float[] forward(ModelSpec spec, List<ConvolutionalWeights> weights, float[] image) {
        return forward(spec, weights, image, value -> value);
    }

    /**
     * The region tensor for one CHW image, with the image and every convolution's output (after its activation) stored
     * through {@code storage}, such as rounding to half; max pooling picks stored values, so its output needs none.
     */
    static float[] forward(ModelSpec spec, List<ConvolutionalWeights> weights, float[] image, DoubleUnaryOperator storage) {
        requireNonNull(image, "image");
        requireNonNull(storage, "storage");
        if (image.length != spec.inputShape().elementCount()) {
            throw new IllegalArgumentException("image has " + image.length + " values, the spec takes " + spec.inputShape());
        }
        Iterator<ConvolutionalWeights> layerWeights = weights.iterator();
        float[] activations = image.clone();
        for (int index = 0; index < activations.length; index++) {
            activations[index] = (float) storage.applyAsDouble(activations[index]);
        }
        List<TensorShape> inputs = spec.inputShapes();
        for (int index = 0; index < spec.layers().size(); index++) {
            TensorShape input = inputs.get(index);
            float[] layerInput = activations;
            activations = spec.layers().get(index).accept(new LayerSpec.Visitor<float[]>() {
                @Override
                public float[] visitConvolutional(ConvolutionalLayer layer) {
                    return convolution(layer, layerWeights.next(), layerInput, input, storage);
                }

                @Override
                public float[] visitMaxPool(MaxPoolLayer layer) {
                    return maxPool(layer, layerInput, input);
                }

                @Override
                public float[] visitRegion(RegionLayer layer) {
                    return layerInput;
                }
            });
        }
        return activations;
    }

    private static float[] convolution(ConvolutionalLayer layer, ConvolutionalWeights values, float[] input, TensorShape inputShape,
                                       DoubleUnaryOperator storage) {
        TensorShape outputShape = layer.outputShape(inputShape);
        float[] kernel = values.weights();
        float[] biases = values.biases();
        float[] scales = values.scales();
        float[] means = values.rollingMean();
        float[] variances = values.rollingVariance();
        int channels = inputShape.channels();
        int height = inputShape.height();
        int width = inputShape.width();
        int size = layer.size();
        int padding = layer.pad() ? size / 2 : 0;
        float[] output = new float[Math.toIntExact(outputShape.elementCount())];
        for (int filter = 0; filter < layer.filters(); filter++) {
            for (int row = 0; row < outputShape.height(); row++) {
                for (int column = 0; column < outputShape.width(); column++) {
                    double sum = 0;
                    for (int channel = 0; channel < channels; channel++) {
                        for (int kernelRow = 0; kernelRow < size; kernelRow++) {
                            int inputRow = row * layer.stride() - padding + kernelRow;
                            if (inputRow < 0 || inputRow >= height) {
                                continue;
                            }
                            for (int kernelColumn = 0; kernelColumn < size; kernelColumn++) {
                                int inputColumn = column * layer.stride() - padding + kernelColumn;
                                if (inputColumn < 0 || inputColumn >= width) {
                                    continue;
                                }
                                float weight = kernel[((filter * channels + channel) * size + kernelRow) * size + kernelColumn];
                                sum += (double) weight * input[(channel * height + inputRow) * width + inputColumn];
                            }
                        }
                    }
                    float value = (float) sum;
                    if (layer.batchNormalize()) {
                        value = (float) ((value - means[filter]) / (Math.sqrt(variances[filter]) + .000001f));
                        value = value * scales[filter];
                    }
                    value += biases[filter];
                    output[(filter * outputShape.height() + row) * outputShape.width() + column] = (float) storage.applyAsDouble(activate(layer, value));
                }
            }
        }
        return output;
    }

    private static float activate(ConvolutionalLayer layer, float value) {
        return switch (layer.activation()) {
            case LEAKY -> value > 0 ? value : .1f * value;
            case LINEAR -> value;
            case RELU -> value > 0 ? value : 0;
            case LOGISTIC -> (float) (1. / (1. + Math.exp(-value)));
        };
    }

    private static float[] maxPool(MaxPoolLayer layer, float[] input, TensorShape inputShape) {
        TensorShape outputShape = layer.outputShape(inputShape);
        int height = inputShape.height();
        int width = inputShape.width();
        int offset = -((layer.size() - 1) / 2);
        float[] output = new float[Math.toIntExact(outputShape.elementCount())];
        for (int channel = 0; channel < inputShape.channels(); channel++) {
            for (int row = 0; row < outputShape.height(); row++) {
                for (int column = 0; column < outputShape.width(); column++) {
                    float maximum = -Float.MAX_VALUE;
                    for (int windowRow = 0; windowRow < layer.size(); windowRow++) {
                        for (int windowColumn = 0; windowColumn < layer.size(); windowColumn++) {
                            int inputRow = offset + row * layer.stride() + windowRow;
                            int inputColumn = offset + column * layer.stride() + windowColumn;
                            boolean valid = inputRow >= 0 && inputRow < height && inputColumn >= 0 && inputColumn < width;
                            float value = valid ? input[(channel * height + inputRow) * width + inputColumn] : -Float.MAX_VALUE;
                            maximum = Math.max(maximum, value);
                        }
                    }
                    output[(channel * outputShape.height() + row) * outputShape.width() + column] = maximum;
                }
            }
        }
        return output;
    }
}

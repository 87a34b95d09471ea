package org.yolofleet.model;

import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.model.Activation;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.LayerSpec;
import org.yolofleet.core.model.MaxPoolLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.TensorShape;

import java.util.ArrayList;
import java.util.List;

/**
 * Darknet's forward pass (pjreddie's {@code forward_convolutional_layer}, {@code forward_maxpool_layer}), written
 * directly from its C, one image at a time, in double: the independent reference the DL4J network is compared with.
 */
final class DarknetReference {
    private DarknetReference() {}

    /** Every layer's output for one CHW image; the region layer's entry is its (unchanged) raw input. */
    static List<double[]> forward(ModelSpec spec, DarknetWeights weights, float[] image, int imageOffset) {
        List<double[]> outputs = new ArrayList<>();
        TensorShape shape = spec.inputShape();
        double[] current = new double[(int) shape.elementCount()];
        for (int index = 0; index < current.length; index++) {
            current[index] = image[imageOffset + index];
        }
        int convolution = 0;
        for (LayerSpec layer : spec.layers()) {
            if (layer instanceof ConvolutionalLayer convolutional) {
                current = convolutional(convolutional, weights.layers().get(convolution++), current, shape);
            }
            else if (layer instanceof MaxPoolLayer maxPool) {
                current = maxPool(maxPool, current, shape);
            }
            shape = layer.outputShape(shape);
            outputs.add(current);
        }
        return outputs;
    }

    static double[] convolutional(ConvolutionalLayer layer, ConvolutionalWeights values, double[] input, TensorShape inputShape) {
        TensorShape outputShape = layer.outputShape(inputShape);
        int channels = inputShape.channels();
        int inputHeight = inputShape.height();
        int inputWidth = inputShape.width();
        int size = layer.size();
        int padding = layer.padding();
        float[] weights = values.weights();
        double[] output = new double[(int) outputShape.elementCount()];
        for (int filter = 0; filter < layer.filters(); filter++) {
            for (int row = 0; row < outputShape.height(); row++) {
                for (int column = 0; column < outputShape.width(); column++) {
                    double sum = 0;
                    for (int channel = 0; channel < channels; channel++) {
                        for (int kernelRow = 0; kernelRow < size; kernelRow++) {
                            int y = row * layer.stride() - padding + kernelRow;
                            if (y < 0 || y >= inputHeight) {
                                continue;
                            }
                            for (int kernelColumn = 0; kernelColumn < size; kernelColumn++) {
                                int x = column * layer.stride() - padding + kernelColumn;
                                if (x < 0 || x >= inputWidth) {
                                    continue;
                                }
                                sum += weights[((filter * channels + channel) * size + kernelRow) * size + kernelColumn]
                                        * input[(channel * inputHeight + y) * inputWidth + x];
                            }
                        }
                    }
                    output[(filter * outputShape.height() + row) * outputShape.width() + column] = sum;
                }
            }
        }
        int plane = outputShape.height() * outputShape.width();
        float[] biases = values.biases();
        float[] scales = values.scales();
        float[] means = values.rollingMean();
        float[] variances = values.rollingVariance();
        for (int filter = 0; filter < layer.filters(); filter++) {
            for (int index = filter * plane; index < (filter + 1) * plane; index++) {
                double value = output[index];
                if (layer.batchNormalize()) {
                    // normalize_cpu: (x - mean) / (sqrt(variance) + .000001f), then scale_bias, then add_bias
                    value = (value - means[filter]) / (Math.sqrt(variances[filter]) + 0.000001) * scales[filter];
                }
                output[index] = activate(layer.activation(), value + biases[filter]);
            }
        }
        return output;
    }

    static double activate(Activation activation, double value) {
        return switch (activation) {
            case LEAKY -> value > 0 ? value : 0.1 * value;
            case LINEAR -> value;
            case RELU -> Math.max(0, value);
            case LOGISTIC -> 1 / (1 + Math.exp(-value));
        };
    }

    /** forward_maxpool_layer: offset -pad/2 with pad = size - 1, out-of-image cells are -FLT_MAX. */
    static double[] maxPool(MaxPoolLayer layer, double[] input, TensorShape inputShape) {
        TensorShape outputShape = layer.outputShape(inputShape);
        int offset = -(layer.padding() / 2);
        double[] output = new double[(int) outputShape.elementCount()];
        for (int channel = 0; channel < inputShape.channels(); channel++) {
            for (int row = 0; row < outputShape.height(); row++) {
                for (int column = 0; column < outputShape.width(); column++) {
                    double max = -Float.MAX_VALUE;
                    for (int kernelRow = 0; kernelRow < layer.size(); kernelRow++) {
                        for (int kernelColumn = 0; kernelColumn < layer.size(); kernelColumn++) {
                            int y = offset + row * layer.stride() + kernelRow;
                            int x = offset + column * layer.stride() + kernelColumn;
                            boolean valid = y >= 0 && y < inputShape.height() && x >= 0 && x < inputShape.width();
                            double value = valid ? input[(channel * inputShape.height() + y) * inputShape.width() + x] : -Float.MAX_VALUE;
                            max = Math.max(max, value);
                        }
                    }
                    output[(channel * outputShape.height() + row) * outputShape.width() + column] = max;
                }
            }
        }
        return output;
    }

    /**
     * The region tensor as DL4J's Yolo2OutputLayer presents it: per anchor sigmoid(tx), sigmoid(ty), anchor width *
     * exp(tw), anchor height * exp(th), sigmoid(objectness), softmax over the class scores; same layout as the input.
     */
    static double[] regionActivations(RegionLayer region, double[] raw, int gridHeight, int gridWidth) {
        int plane = gridHeight * gridWidth;
        int perAnchor = region.valuesPerAnchor();
        double[] output = new double[raw.length];
        for (int anchor = 0; anchor < region.anchorCount(); anchor++) {
            Anchor prior = region.anchors().get(anchor);
            int base = anchor * perAnchor * plane;
            for (int cell = 0; cell < plane; cell++) {
                output[base + cell] = sigmoid(raw[base + cell]);
                output[base + plane + cell] = sigmoid(raw[base + plane + cell]);
                output[base + 2 * plane + cell] = prior.width() * Math.exp(raw[base + 2 * plane + cell]);
                output[base + 3 * plane + cell] = prior.height() * Math.exp(raw[base + 3 * plane + cell]);
                output[base + 4 * plane + cell] = sigmoid(raw[base + 4 * plane + cell]);
                double max = Double.NEGATIVE_INFINITY;
                for (int classIndex = 0; classIndex < region.classes(); classIndex++) {
                    max = Math.max(max, raw[base + (5 + classIndex) * plane + cell]);
                }
                double sum = 0;
                for (int classIndex = 0; classIndex < region.classes(); classIndex++) {
                    sum += Math.exp(raw[base + (5 + classIndex) * plane + cell] - max);
                }
                for (int classIndex = 0; classIndex < region.classes(); classIndex++) {
                    output[base + (5 + classIndex) * plane + cell] = Math.exp(raw[base + (5 + classIndex) * plane + cell] - max) / sum;
                }
            }
        }
        return output;
    }

    private static double sigmoid(double value) {
        return 1 / (1 + Math.exp(-value));
    }
}

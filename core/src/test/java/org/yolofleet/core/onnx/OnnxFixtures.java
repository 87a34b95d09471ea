package org.yolofleet.core.onnx;

import org.yolofleet.core.darknet.ConvolutionalLayout;
import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.darknet.DarknetWeightsLayout;
import org.yolofleet.core.model.Activation;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.LayerSpec;
import org.yolofleet.core.model.MaxPoolLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.NetOptions;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TensorShape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/** Small specs, random weights with batch-normalisation statistics that tell Darknet's formula apart, and test images. */
final class OnnxFixtures {
    private OnnxFixtures() {}

    /**
     * Tiny-YOLOv2's layout at 96 x 64 (not square, so rows and columns cannot be swapped unnoticed) with few filters: five
     * 3x3 leaky batch-normalised convolutions each followed by a 2x2 stride-2 maxpool, one more, the 2x2 stride-1
     * maxpool, one more, the linear 1x1 head; 2 anchors, 3 classes: output {@code [1, 16, 2, 3]}.
     */
    static ModelSpec tinyLayoutSpec() {
        List<LayerSpec> layers = new ArrayList<>();
        for (int filters : new int[] {8, 16, 16, 32, 32}) {
            layers.add(leaky(filters));
            layers.add(new MaxPoolLayer(2, 2));
        }
        layers.add(leaky(64));
        layers.add(new MaxPoolLayer(2, 1));
        layers.add(leaky(64));
        RegionLayer region = region(List.of(new Anchor(1.08, 1.19), new Anchor(3.42, 4.41)), 3);
        layers.add(new ConvolutionalLayer(region.outputChannels(), 1, 1, true, false, Activation.LINEAR));
        layers.add(region);
        return new ModelSpec(96, 64, 3, ResizeMode.LETTERBOX, NetOptions.DARKNET_DEFAULTS, layers);
    }

    /**
     * Every other case the exporter handles, at 32 x 64: a stride-2 3x3 relu convolution without batch norm, a 3x3
     * stride-2 maxpool (padding on the left and top), a 1x1 logistic convolution, the size-2 stride-1 maxpool, an
     * unpadded 3x3 convolution (14 x 6), then two 2x2 stride-2 maxpools of which the second halves an odd 7 x 3 and so
     * reads Darknet's right and bottom padding; 1 anchor, 2 classes: output {@code [1, 7, 4, 2]}.
     */
    static ModelSpec edgeCaseSpec() {
        RegionLayer region = region(List.of(new Anchor(2, 3)), 2);
        List<LayerSpec> layers = List.of(
                new ConvolutionalLayer(4, 3, 2, true, false, Activation.RELU),
                new MaxPoolLayer(3, 2),
                new ConvolutionalLayer(6, 1, 1, true, true, Activation.LOGISTIC),
                new MaxPoolLayer(2, 1),
                new ConvolutionalLayer(8, 3, 1, false, true, Activation.LEAKY),
                new MaxPoolLayer(2, 2),
                new MaxPoolLayer(2, 2),
                new ConvolutionalLayer(region.outputChannels(), 1, 1, true, false, Activation.LINEAR),
                region);
        return new ModelSpec(32, 64, 3, ResizeMode.RESIZE, NetOptions.DARKNET_DEFAULTS, layers);
    }

    static List<String> classNames(ModelSpec spec) {
        return IntStream.range(0, spec.classCount()).mapToObj(index -> "class" + index).toList();
    }

    /**
     * Random weights scaled to keep activations near 1 (He initialisation), with batch-normalisation statistics far from
     * the identity. Filter 0 of every batch-normalised layer has variance 0 and a scale of about 1e-6: Darknet divides by
     * {@code sqrt(0) + 1e-6}, so its output is of the usual size, where {@code sqrt(variance + 1e-5)} would shrink it
     * 300-fold. Filter 1 has variance 1e-3, where the two formulas differ by half a percent.
     */
    static List<ConvolutionalWeights> randomWeights(ModelSpec spec, long seed) {
        Random random = new Random(seed);
        List<ConvolutionalWeights> layers = new ArrayList<>();
        for (ConvolutionalLayout layout : DarknetWeightsLayout.of(spec).layers()) {
            int filters = layout.layer().filters();
            int fanIn = Math.toIntExact(layout.weightCount() / filters);
            float[] weights = gaussian(random, Math.toIntExact(layout.weightCount()), Math.sqrt(2.0 / fanIn));
            float[] biases = gaussian(random, filters, 0.2);
            if (!layout.layer().batchNormalize()) {
                layers.add(ConvolutionalWeights.withoutBatchNormalization(biases, weights));
                continue;
            }
            float[] scales = new float[filters];
            float[] means = new float[filters];
            float[] variances = new float[filters];
            for (int filter = 0; filter < filters; filter++) {
                scales[filter] = (float) (0.5 + random.nextDouble());
                means[filter] = (float) (0.3 * random.nextGaussian());
                variances[filter] = (float) (0.1 + 2 * random.nextDouble());
            }
            variances[0] = 0;
            scales[0] *= 1e-6f;
            if (filters > 1) {
                variances[1] = 1e-3f;
                scales[1] *= 0.03f;
            }
            layers.add(ConvolutionalWeights.withBatchNormalization(biases, scales, means, variances, weights));
        }
        return layers;
    }

    /** Uniform random pixels and structured ones: black, white, a ramp, a checkerboard, one bright bottom-right pixel. */
    static Map<String, float[]> images(TensorShape shape, long seed) {
        Random random = new Random(seed);
        int channels = shape.channels();
        int height = shape.height();
        int width = shape.width();
        int count = Math.toIntExact(shape.elementCount());
        Map<String, float[]> images = new LinkedHashMap<>();
        float[] uniform = new float[count];
        for (int index = 0; index < count; index++) {
            uniform[index] = random.nextFloat();
        }
        images.put("uniform random", uniform);
        images.put("black", new float[count]);
        float[] white = new float[count];
        Arrays.fill(white, 1);
        images.put("white", white);
        float[] ramp = new float[count];
        float[] checkerboard = new float[count];
        float[] corner = new float[count];
        for (int channel = 0; channel < channels; channel++) {
            for (int row = 0; row < height; row++) {
                for (int column = 0; column < width; column++) {
                    int index = (channel * height + row) * width + column;
                    ramp[index] = (float) (row * width + column) / (height * width - 1) * (channel + 1) / channels;
                    checkerboard[index] = ((row / 4 + column / 4 + channel) % 2 == 0) ? 1 : 0;
                }
            }
            corner[(channel * height + height - 1) * width + width - 1] = 1;
        }
        images.put("ramp", ramp);
        images.put("checkerboard", checkerboard);
        images.put("bottom-right pixel", corner);
        return images;
    }

    private static RegionLayer region(List<Anchor> anchors, int classes) {
        return new RegionLayer(anchors, classes, RegionLayer.COORDINATES, true, 0.2, true, 5, 1, 1, 1, true, 0.6, true, true);
    }

    private static ConvolutionalLayer leaky(int filters) {
        return new ConvolutionalLayer(filters, 3, 1, true, true, Activation.LEAKY);
    }

    private static float[] gaussian(Random random, int count, double standardDeviation) {
        float[] values = new float[count];
        for (int index = 0; index < count; index++) {
            values[index] = (float) (random.nextGaussian() * standardDeviation);
        }
        return values;
    }
}

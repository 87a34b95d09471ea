package org.yolofleet.model;

import org.yolofleet.core.darknet.ConvolutionalLayout;
import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.darknet.DarknetWeights;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small specs (64 to 96 pixels) and reproducible random Darknet weights for the model tests. */
final class ModelFixtures {
    static final List<Anchor> ANCHORS = List.of(new Anchor(1.08, 1.19), new Anchor(3.42, 4.41));

    private ModelFixtures() {}

    /**
     * A Tiny-YOLOv2 in miniature, 64 x 64: three batch-normalised leaky 3x3 convolutions (4, 8, 8 filters) with 2x2
     * stride-2 maxpools, Darknet's 2x2 stride-1 maxpool, a linear 1x1 head with bias, the region layer (2 anchors,
     * {@code classes} classes) on an 8 x 8 grid.
     */
    static ModelSpec miniature(int classes) {
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(leaky(4, 3));
        layers.add(new MaxPoolLayer(2, 2));
        layers.add(leaky(8, 3));
        layers.add(new MaxPoolLayer(2, 2));
        layers.add(leaky(8, 3));
        layers.add(new MaxPoolLayer(2, 2));
        layers.add(new MaxPoolLayer(2, 1));
        layers.add(leaky(8, 3));
        RegionLayer region = region(classes);
        layers.add(new ConvolutionalLayer(region.outputChannels(), 1, 1, true, false, Activation.LINEAR));
        layers.add(region);
        return new ModelSpec(64, 64, 3, ResizeMode.LETTERBOX, NetOptions.DARKNET_DEFAULTS, layers);
    }

    /**
     * Layers Tiny-YOLOv2 does not use, 96 x 64: an unpadded 2x2 stride-2 convolution, a 3x3 stride-2 maxpool (where
     * DL4J's Same mode pads differently from Darknet), a batch-normalised linear convolution, a leaky one without batch
     * norm, an unpadded 3x3 convolution, maxpools on odd sizes (6x10 to 3x5, 2x2 stride-1 on 3x5, 3x5 to 2x3); grid 3 x 2.
     */
    static ModelSpec unusual(int classes) {
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(new ConvolutionalLayer(6, 2, 2, false, true, Activation.LEAKY));
        layers.add(new MaxPoolLayer(3, 2));
        layers.add(new ConvolutionalLayer(8, 3, 1, true, true, Activation.LINEAR));
        layers.add(new ConvolutionalLayer(8, 3, 1, true, false, Activation.LEAKY));
        layers.add(new MaxPoolLayer(2, 2));
        layers.add(new ConvolutionalLayer(8, 3, 1, false, true, Activation.LEAKY));
        layers.add(new MaxPoolLayer(2, 2));
        layers.add(new MaxPoolLayer(2, 1));
        layers.add(new MaxPoolLayer(2, 2));
        RegionLayer region = region(classes);
        layers.add(new ConvolutionalLayer(region.outputChannels(), 1, 1, true, false, Activation.LINEAR));
        layers.add(region);
        return new ModelSpec(96, 64, 3, ResizeMode.RESIZE, NetOptions.DARKNET_DEFAULTS, layers);
    }

    static RegionLayer region(int classes) {
        return new RegionLayer(ANCHORS, classes, RegionLayer.COORDINATES, true, 0.2, true, 5, 1, 1, 1, true, 0.6, true, true);
    }

    private static ConvolutionalLayer leaky(int filters, int size) {
        return new ConvolutionalLayer(filters, size, 1, true, true, Activation.LEAKY);
    }

    /** How the random rolling variances are drawn. */
    enum Variances {
        /** In [0.5, 2]: activations of ordinary size, for comparisons with an absolute tolerance. */
        ORDINARY,
        /** Spread over many magnitudes, with zeros, subnormals and values near powers of two: the float edge cases. */
        EXTREME
    }

    /** Random weights of the spec's layout (version 0.2.0, seen 12 800). */
    static DarknetWeights randomWeights(ModelSpec spec, long seed, Variances variances) {
        Random random = new Random(seed);
        List<ConvolutionalWeights> layers = new ArrayList<>();
        for (ConvolutionalLayout layout : DarknetWeightsLayout.of(spec).layers()) {
            int filters = layout.layer().filters();
            double weightScale = Math.sqrt(2.0 / (layout.inputChannels() * layout.layer().size() * layout.layer().size()));
            float[] weights = gaussian(random, Math.toIntExact(layout.weightCount()), weightScale);
            float[] biases = gaussian(random, filters, 0.1);
            if (!layout.layer().batchNormalize()) {
                layers.add(ConvolutionalWeights.withoutBatchNormalization(biases, weights));
                continue;
            }
            float[] scales = new float[filters];
            float[] means = gaussian(random, filters, 0.1);
            float[] rollingVariances = new float[filters];
            for (int filter = 0; filter < filters; filter++) {
                scales[filter] = (float) (0.5 + random.nextDouble());
                rollingVariances[filter] = switch (variances) {
                    case ORDINARY -> (float) (0.5 + 1.5 * random.nextDouble());
                    case EXTREME -> extremeVariance(random, filter);
                };
            }
            layers.add(ConvolutionalWeights.withBatchNormalization(biases, scales, means, rollingVariances, weights));
        }
        return DarknetWeights.of(12_800, layers);
    }

    static float extremeVariance(Random random, int index) {
        return switch (index % 6) {
            case 0 -> 0f;
            case 1 -> Float.MIN_VALUE * (1 + random.nextInt(1000));
            case 2 -> (float) Math.pow(10, -30 + 30 * random.nextDouble());
            case 3 -> Math.nextDown((float) Math.pow(2, random.nextInt(20) - 10));
            case 4 -> (float) (1e-12 * random.nextDouble());
            default -> (float) Math.pow(10, -3 + 6 * random.nextDouble());
        };
    }

    static float[] gaussian(Random random, int count, double scale) {
        float[] values = new float[count];
        for (int index = 0; index < count; index++) {
            values[index] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }

    /** A reproducible random input image batch, RGB in [0, 1], NCHW. */
    static float[] randomImages(ModelSpec spec, int count, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count * spec.channels() * spec.height() * spec.width()];
        for (int index = 0; index < values.length; index++) {
            values[index] = random.nextFloat();
        }
        return values;
    }
}

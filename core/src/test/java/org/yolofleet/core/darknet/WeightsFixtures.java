package org.yolofleet.core.darknet;

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
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Small specs and reproducible random weights for the weights-file tests. */
final class WeightsFixtures {
    private WeightsFixtures() {}

    /**
     * 32 x 32 x 3 input; layer 0: 4 filters 3x3 with batch norm (108 weights + 16 values); layer 2: 8 filters 3x3 with
     * batch norm (288 + 32); layer 7: 6 filters 1x1 without batch norm (48 + 6); one anchor, one class: 498 values.
     */
    static ModelSpec smallSpec() {
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(new ConvolutionalLayer(4, 3, 1, true, true, Activation.LEAKY));
        layers.add(new MaxPoolLayer(2, 2));
        layers.add(new ConvolutionalLayer(8, 3, 1, true, true, Activation.LEAKY));
        for (int pool = 0; pool < 4; pool++) {
            layers.add(new MaxPoolLayer(2, 2));
        }
        layers.add(new ConvolutionalLayer(6, 1, 1, true, false, Activation.LINEAR));
        layers.add(new RegionLayer(List.of(new Anchor(1, 1)), 1, 4, true, 0.2, true, 5, 1, 1, 1, true, 0.6, true, true));
        return new ModelSpec(32, 32, 3, ResizeMode.LETTERBOX, NetOptions.DARKNET_DEFAULTS, layers);
    }

    static final long SMALL_SPEC_VALUES = 124 + 320 + 54;

    /** Random values of the right layout for every convolutional layer of the spec. */
    static List<ConvolutionalWeights> randomLayers(ModelSpec spec, long seed) {
        Random random = new Random(seed);
        List<ConvolutionalWeights> layers = new ArrayList<>();
        for (ConvolutionalLayout layout : DarknetWeightsLayout.of(spec).layers()) {
            int filters = layout.layer().filters();
            float[] biases = randomFloats(random, filters);
            float[] weights = randomFloats(random, Math.toIntExact(layout.weightCount()));
            layers.add(layout.layer().batchNormalize()
                    ? ConvolutionalWeights.withBatchNormalization(biases, randomFloats(random, filters), randomFloats(random, filters),
                            randomFloats(random, filters), weights)
                    : ConvolutionalWeights.withoutBatchNormalization(biases, weights));
        }
        return layers;
    }

    static float[] randomFloats(Random random, int count) {
        float[] values = new float[count];
        for (int index = 0; index < count; index++) {
            values[index] = (float) random.nextGaussian();
        }
        return values;
    }

    static float[] filled(int count, float value) {
        float[] values = new float[count];
        Arrays.fill(values, value);
        return values;
    }
}

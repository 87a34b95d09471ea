package org.yolofleet.testing;

import org.yolofleet.core.darknet.ConvolutionalLayout;
import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.darknet.DarknetWeightsLayout;
import org.yolofleet.core.model.ModelSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random weights for a model spec, for tests that need a network whose outputs are of ordinary size: He-initialised
 * convolutions (N(0, 2 / fan-in)), shifts N(0, 0.2) and batch-normalisation statistics away from the identity — scales in
 * [0.5, 1.5], means N(0, 0.3), variances in [0.25, 2] — so every layer's normalisation matters. The same seed gives the
 * same weights in every module (detect, ml and publish tests in pipelines, the agent's tests in device).
 */
public final class RandomWeights {
    private RandomWeights() {
    }

    /** One {@link ConvolutionalWeights} per convolutional layer of {@code spec}, in Darknet's order. */
    public static List<ConvolutionalWeights> ordinary(ModelSpec spec, long seed) {
        Random random = new Random(seed);
        List<ConvolutionalWeights> layers = new ArrayList<>();
        for (ConvolutionalLayout layout : DarknetWeightsLayout.of(spec).layers()) {
            int filters = layout.layer().filters();
            int size = layout.layer().size();
            float[] weights = gaussian(random, Math.toIntExact(layout.weightCount()), Math.sqrt(2.0 / (layout.inputChannels() * size * size)));
            float[] biases = gaussian(random, filters, 0.2);
            if (!layout.layer().batchNormalize()) {
                layers.add(ConvolutionalWeights.withoutBatchNormalization(biases, weights));
                continue;
            }
            float[] scales = new float[filters];
            float[] variances = new float[filters];
            for (int filter = 0; filter < filters; filter++) {
                scales[filter] = (float) (0.5 + random.nextDouble());
                variances[filter] = (float) (0.25 + 1.75 * random.nextDouble());
            }
            layers.add(ConvolutionalWeights.withBatchNormalization(biases, scales, gaussian(random, filters, 0.3), variances, weights));
        }
        return layers;
    }

    private static float[] gaussian(Random random, int count, double deviation) {
        float[] values = new float[count];
        for (int index = 0; index < count; index++) {
            values[index] = (float) (random.nextGaussian() * deviation);
        }
        return values;
    }
}

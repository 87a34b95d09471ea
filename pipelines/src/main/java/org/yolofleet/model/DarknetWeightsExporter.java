package org.yolofleet.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.yolofleet.core.darknet.ConvolutionalLayout;
import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.darknet.DarknetWeightsLayout;
import org.yolofleet.core.model.ModelSpec;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Reads a network built by {@link TinyYoloGraphBuilder} back into Darknet weights, the inverse of
 * {@link DarknetWeightsImporter}: write them with {@code DarknetWeightsWriter}. Importing weights and exporting them
 * again gives the same file byte for byte when the export is given the imported weights
 * ({@link #export(ComputationGraph, ModelSpec, DarknetWeights)}): their header is kept, and so is each batch-norm
 * variance the network still holds unchanged (see {@link DarknetBatchNormalization} for why float32 needs that).
 */
public final class DarknetWeightsExporter {
    private DarknetWeightsExporter() {}

    /** All convolutional layers with a header of the current Darknet version (0.2.0) and the given {@code seen}. */
    public static DarknetWeights export(ComputationGraph network, ModelSpec spec, long seen) {
        return DarknetWeights.of(seen, layers(network, spec, List.of()));
    }

    /**
     * All convolutional layers with the header of {@code imported} (the weights the network started from, possibly
     * fewer layers after a transfer-learning import); where the network's batch-norm variance is still the encoding of
     * the imported one, the imported value is written.
     */
    public static DarknetWeights export(ComputationGraph network, ModelSpec spec, DarknetWeights imported) {
        requireNonNull(imported, "imported");
        return imported.withLayers(layers(network, spec, imported.layers()));
    }

    private static List<ConvolutionalWeights> layers(ComputationGraph network, ModelSpec spec, List<ConvolutionalWeights> imported) {
        NetworkParameters parameters = new NetworkParameters(requireNonNull(network, "network"));
        List<ConvolutionalLayout> layouts = DarknetWeightsLayout.of(requireNonNull(spec, "spec")).layers();
        List<ConvolutionalWeights> layers = new ArrayList<>(layouts.size());
        for (ConvolutionalLayout layout : layouts) {
            float[] weights = NetworkParameters.values(parameters.weights(layout));
            if (!layout.layer().batchNormalize()) {
                layers.add(ConvolutionalWeights.withoutBatchNormalization(NetworkParameters.values(parameters.bias(layout)), weights));
                continue;
            }
            float[] variances = NetworkParameters.values(parameters.batchNormalization(layout, NetworkParameters.VARIANCE));
            float[] originals = originalVariances(imported, layout);
            for (int filter = 0; filter < variances.length; filter++) {
                variances[filter] = originals == null
                        ? DarknetBatchNormalization.toDarknetVariance(variances[filter])
                        : DarknetBatchNormalization.toDarknetVariance(variances[filter], originals[filter]);
            }
            layers.add(ConvolutionalWeights.withBatchNormalization(
                    NetworkParameters.values(parameters.batchNormalization(layout, NetworkParameters.BETA)),
                    NetworkParameters.values(parameters.batchNormalization(layout, NetworkParameters.GAMMA)),
                    NetworkParameters.values(parameters.batchNormalization(layout, NetworkParameters.MEAN)),
                    variances,
                    weights));
        }
        return List.copyOf(layers);
    }

    /** The imported rolling variances of this layer, or null when there are none of the right size. */
    private static float[] originalVariances(List<ConvolutionalWeights> imported, ConvolutionalLayout layout) {
        if (layout.convolutionalIndex() >= imported.size()) {
            return null;
        }
        float[] variances = imported.get(layout.convolutionalIndex()).rollingVariance();
        return variances.length == layout.layer().filters() ? variances : null;
    }
}

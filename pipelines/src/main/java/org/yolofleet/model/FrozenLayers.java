package org.yolofleet.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.yolofleet.core.darknet.ConvolutionalLayout;
import org.yolofleet.core.darknet.DarknetWeightsLayout;
import org.yolofleet.core.model.ModelSpec;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Freezes the first convolutional layers of a network built by {@link TinyYoloGraphBuilder}, for transfer learning:
 * training leaves their parameters (and batch-norm statistics, which frozen layers use as at inference) unchanged.
 */
public final class FrozenLayers {
    private FrozenLayers() {}

    /**
     * A new network (same parameters and configuration) in which the first {@code convolutionalLayers} convolutional
     * layers, and every layer before them, are DL4J {@code FrozenLayer}s; the network itself when 0.
     */
    public static ComputationGraph freezeFirst(ComputationGraph network, ModelSpec spec, int convolutionalLayers) {
        requireNonNull(network, "network");
        List<ConvolutionalLayout> layouts = DarknetWeightsLayout.of(requireNonNull(spec, "spec")).layers();
        if (convolutionalLayers < 0 || convolutionalLayers > layouts.size()) {
            throw new IllegalArgumentException("layers to freeze must be in [0, " + layouts.size() + "], got " + convolutionalLayers);
        }
        if (convolutionalLayers == 0) {
            return network;
        }
        int lastFrozen = layouts.get(convolutionalLayers - 1).layerIndex();
        return new TransferLearning.GraphBuilder(network)
                .setFeatureExtractor(TinyYoloGraphBuilder.outputName(spec, lastFrozen))
                .build();
    }
}

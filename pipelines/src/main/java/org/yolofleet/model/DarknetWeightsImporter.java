package org.yolofleet.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.yolofleet.core.darknet.ConvolutionalLayout;
import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.darknet.DarknetWeightsLayout;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;

import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Puts Darknet weights into a network built by {@link TinyYoloGraphBuilder} from the same spec: all convolutional
 * layers, or only the first ones for transfer learning (a pretrained backbone under a head for another class count,
 * which keeps the values it was initialised with).
 *
 * <p>Per layer: weights as they are ({@code [out][in][kh][kw]} in both); without batch normalisation the biases;
 * with it the scales as gamma, the biases as beta, the rolling mean as mean and the rolling variance encoded by
 * {@link DarknetBatchNormalization#toDl4jVariance}. Weights that do not fit the spec (layer count, filters, batch
 * normalisation, kernel size) or a network built from another spec fail with {@link ErrorCode#BAD_WEIGHTS}, naming the
 * layer with expected and found sizes; so does a negative or non-finite rolling variance.
 *
 * <pre>{@code
 * ModelSpec spec = TinyYoloV2.voc().withClasses(3);
 * DarknetWeights backbone = DarknetWeightsReader.forModel(TinyYoloV2.voc()).firstLayers(8).read(path);
 * ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();
 * DarknetWeightsImporter.importFirst(backbone, 8, spec, network);
 * network = FrozenLayers.freezeFirst(network, spec, 6);   // optional
 * }</pre>
 */
public final class DarknetWeightsImporter {
    private DarknetWeightsImporter() {}

    /** Imports every convolutional layer: the weights must hold exactly the spec's convolutional layers. */
    public static void importAll(DarknetWeights weights, ModelSpec spec, ComputationGraph network) {
        requireNonNull(weights, "weights");
        List<ConvolutionalLayout> layouts = DarknetWeightsLayout.of(requireNonNull(spec, "spec")).layers();
        if (weights.layers().size() != layouts.size()) {
            throw new YoloFleetException(ErrorCode.BAD_WEIGHTS, String.format(Locale.ROOT,
                    "the spec has %d convolutional layers, the weights have %d", layouts.size(), weights.layers().size()));
        }
        importLayers(weights, layouts, network);
    }

    /**
     * Imports the first {@code count} convolutional layers, which must match the spec's first {@code count}; the weights
     * may hold more (ignored). The network's other layers are left as they are.
     */
    public static void importFirst(DarknetWeights weights, int count, ModelSpec spec, ComputationGraph network) {
        requireNonNull(weights, "weights");
        List<ConvolutionalLayout> layouts = DarknetWeightsLayout.of(requireNonNull(spec, "spec")).layers();
        if (count < 1 || count > layouts.size()) {
            throw new IllegalArgumentException("layers to import must be in [1, " + layouts.size() + "], got " + count);
        }
        if (weights.layers().size() < count) {
            throw new YoloFleetException(ErrorCode.BAD_WEIGHTS, String.format(Locale.ROOT,
                    "importing the first %d convolutional layers needs weights of at least %d layers, the weights have %d",
                    count, count, weights.layers().size()));
        }
        importLayers(weights, layouts.subList(0, count), network);
    }

    private static void importLayers(DarknetWeights weights, List<ConvolutionalLayout> layouts, ComputationGraph network) {
        NetworkParameters parameters = new NetworkParameters(requireNonNull(network, "network"));
        for (ConvolutionalLayout layout : layouts) {
            ConvolutionalWeights values = weights.layers().get(layout.convolutionalIndex());
            layout.check(values);
            NetworkParameters.assign(parameters.weights(layout), values.weights());
            if (layout.layer().batchNormalize()) {
                NetworkParameters.assign(parameters.batchNormalization(layout, NetworkParameters.GAMMA), values.scales());
                NetworkParameters.assign(parameters.batchNormalization(layout, NetworkParameters.BETA), values.biases());
                NetworkParameters.assign(parameters.batchNormalization(layout, NetworkParameters.MEAN), values.rollingMean());
                NetworkParameters.assign(parameters.batchNormalization(layout, NetworkParameters.VARIANCE), dl4jVariances(layout, values));
            }
            else {
                NetworkParameters.assign(parameters.bias(layout), values.biases());
            }
        }
    }

    private static float[] dl4jVariances(ConvolutionalLayout layout, ConvolutionalWeights values) {
        float[] variances = values.rollingVariance();
        float[] encoded = new float[variances.length];
        for (int filter = 0; filter < variances.length; filter++) {
            if (!(variances[filter] >= 0) || Float.isInfinite(variances[filter])) {
                throw new YoloFleetException(ErrorCode.BAD_WEIGHTS, layout.describe() + ": the rolling variance of filter " + filter
                        + " is " + variances[filter] + "; a variance is finite and not negative");
            }
            encoded[filter] = DarknetBatchNormalization.toDl4jVariance(variances[filter]);
        }
        return encoded;
    }
}

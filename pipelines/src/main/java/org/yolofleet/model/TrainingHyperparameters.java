package org.yolofleet.model;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.yolofleet.core.model.NetOptions;

import static java.util.Objects.requireNonNull;

/**
 * How the network learns: the optimizer, its learning rate and momentum, the L2 weight decay and the seed of the weight
 * initialisation. Learning-rate schedules (Darknet's burn-in and steps) belong to the training loop, not here.
 *
 * @param momentum the momentum of {@link Optimizer#NESTEROV_MOMENTUM}; Adam's first-moment decay (beta1) for
 *                 {@link Optimizer#ADAM}
 * @param weightDecay L2 penalty on the convolution weights (Darknet's {@code decay}); 0 for none
 */
public record TrainingHyperparameters(Optimizer optimizer, double learningRate, double momentum, double weightDecay, long seed) {
    /** The update rules on offer. */
    public enum Optimizer {
        /** SGD with Nesterov momentum (DL4J's {@code Nesterovs}; Darknet uses classic momentum, which DL4J lacks). */
        NESTEROV_MOMENTUM,
        /** Adam with the given learning rate and beta1 = momentum. */
        ADAM
    }

    public TrainingHyperparameters {
        requireNonNull(optimizer, "optimizer");
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw new IllegalArgumentException("weight decay must be finite and not negative, got " + weightDecay);
        }
    }

    /** The cfg's {@code learning_rate}, {@code momentum} and {@code decay} with SGD and Nesterov momentum. */
    public static TrainingHyperparameters fromNetOptions(NetOptions options, long seed) {
        requireNonNull(options, "options");
        return new TrainingHyperparameters(Optimizer.NESTEROV_MOMENTUM, options.learningRate(), options.momentum(), options.decay(), seed);
    }

    /** DL4J's updater for these settings. */
    public IUpdater updater() {
        return switch (optimizer) {
            case NESTEROV_MOMENTUM -> new Nesterovs(learningRate, momentum);
            case ADAM -> new Adam(learningRate, momentum, Adam.DEFAULT_ADAM_BETA2_VAR_DECAY, Adam.DEFAULT_ADAM_EPSILON);
        };
    }
}

package org.yolofleet.core.darknet;

import org.yolofleet.core.model.Activation;
import org.yolofleet.core.model.LearningRatePolicy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Optional;

/** How Darknet cfg files spell our enums and numbers; shared by the cfg reader and writer so they cannot disagree. */
final class DarknetNames {
    private DarknetNames() {}

    static String activation(Activation activation) {
        return switch (activation) {
            case LEAKY -> "leaky";
            case LINEAR -> "linear";
            case RELU -> "relu";
            case LOGISTIC -> "logistic";
        };
    }

    static Optional<Activation> activation(String name) {
        return Arrays.stream(Activation.values()).filter(activation -> activation(activation).equals(name)).findFirst();
    }

    static String policy(LearningRatePolicy policy) {
        return switch (policy) {
            case CONSTANT -> "constant";
            case STEPS -> "steps";
        };
    }

    static Optional<LearningRatePolicy> policy(String name) {
        return Arrays.stream(LearningRatePolicy.values()).filter(policy -> policy(policy).equals(name)).findFirst();
    }

    /** The shortest plain decimal that reads back as the same double: {@code 0.0005}, {@code 1.5}, {@code 5}. */
    static String decimal(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}

package org.yolofleet.emr.config;

import com.typesafe.config.Config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What {@code plan} assumes beyond prices: training throughput per vCPU and the time a night spends outside training.
 *
 * @param imagesPerSecondPerCore {@code plan.images-per-second-per-core} when set: overrides the measured rate
 * @param measuredRate           {@code plan.measured-rate}, resolved against the configuration's directory: the
 *                               benchmark result the rate is read from ({@code bench/results/averaging.txt})
 * @param fixedOverhead          {@code plan.fixed-overhead}
 */
public record PlanSettings(OptionalDouble imagesPerSecondPerCore, Path measuredRate, Duration fixedOverhead) {
    public PlanSettings {
        requireNonNull(imagesPerSecondPerCore, "imagesPerSecondPerCore");
        requireNonNull(measuredRate, "measuredRate");
        requireNonNull(fixedOverhead, "fixedOverhead");
    }

    static PlanSettings from(Config config, Path directory) {
        LauncherConfig.refuseUnknown(config, "plan.", Set.of("images-per-second-per-core", "measured-rate", "fixed-overhead"));
        OptionalDouble rate = OptionalDouble.empty();
        if (config.hasPath("images-per-second-per-core")) {
            double configured = config.getDouble("images-per-second-per-core");
            if (!(configured > 0)) {
                throw LauncherConfig.invalid("plan.images-per-second-per-core", configured, "a positive number of images per second");
            }
            rate = OptionalDouble.of(configured);
        }
        String measured = config.getString("measured-rate");
        if (measured.isBlank()) {
            throw LauncherConfig.invalid("plan.measured-rate", measured, "the path of a benchmark result, such as ../../bench/results/averaging.txt");
        }
        return new PlanSettings(rate, directory.resolve(measured).normalize(),
                LauncherConfig.duration(config, "fixed-overhead", "plan.", Duration.ZERO, Duration.ofHours(24)));
    }
}

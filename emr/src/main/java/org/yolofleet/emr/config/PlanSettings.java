package org.yolofleet.emr.config;

import com.typesafe.config.Config;

import java.time.Duration;
import java.util.Set;

/** What {@code plan} assumes beyond prices: training throughput per vCPU and the time a night spends outside training. */
public record PlanSettings(double imagesPerSecondPerCore, Duration fixedOverhead) {

    static PlanSettings from(Config config) {
        LauncherConfig.refuseUnknown(config, "plan.", Set.of("images-per-second-per-core", "fixed-overhead"));
        double rate = config.getDouble("images-per-second-per-core");
        if (!(rate > 0)) {
            throw LauncherConfig.invalid("plan.images-per-second-per-core", rate, "a positive number of images per second");
        }
        return new PlanSettings(rate, LauncherConfig.duration(config, "fixed-overhead", "plan.", Duration.ZERO, Duration.ofHours(24)));
    }
}

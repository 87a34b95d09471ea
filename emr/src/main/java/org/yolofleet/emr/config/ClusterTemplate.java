package org.yolofleet.emr.config;

import com.typesafe.config.Config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The cluster a night runs on ({@code emr/templates/emr-7.13.0.conf} and {@code cluster.*} of the launcher
 * configuration): release, fleets, Spark settings, bootstrap actions, auto-termination and tags.
 */
public record ClusterTemplate(
        String name,
        String releaseLabel,
        List<String> applications,
        int ebsRootVolumeSizeGib,
        List<String> subnetIds,
        List<Fleet> fleets,
        SparkSettings spark,
        boolean installJemalloc,
        boolean installOpenVino,
        Duration idleTimeout,
        String actionOnFailure,
        Map<String, String> tags) {

    private static final Set<String> KEYS = Set.of("name", "release-label", "applications", "ebs-root-volume-size-gib",
            "subnet-ids", "fleets", "spark", "bootstrap", "idle-timeout", "action-on-failure", "tags");

    public ClusterTemplate {
        requireNonNull(name, "name");
        requireNonNull(releaseLabel, "releaseLabel");
        applications = List.copyOf(applications);
        subnetIds = List.copyOf(subnetIds);
        fleets = List.copyOf(fleets);
        requireNonNull(spark, "spark");
        requireNonNull(idleTimeout, "idleTimeout");
        requireNonNull(actionOnFailure, "actionOnFailure");
        tags = Map.copyOf(tags);
    }

    /** The fleet of one role. */
    public Fleet fleet(Fleet.Role role) {
        return fleets.stream().filter(fleet -> fleet.role() == role).findFirst().orElseThrow();
    }

    static ClusterTemplate from(Config config) {
        LauncherConfig.refuseUnknown(config, "cluster.", KEYS);
        String releaseLabel = LauncherConfig.nonEmpty(config, "release-label");
        if (!releaseLabel.matches("emr-7\\.\\d+\\.\\d+")) {
            throw LauncherConfig.invalid("cluster.release-label", releaseLabel,
                    "an EMR 7.x release (emr-7.N.N: Spark 3.5 on Java 17, what the jobs jar is built for)");
        }
        int ebs = config.getInt("ebs-root-volume-size-gib");
        if (ebs < 15 || ebs > 100) {
            throw LauncherConfig.invalid("cluster.ebs-root-volume-size-gib", ebs, "15 to 100 GiB");
        }
        Config fleets = config.getConfig("fleets");
        LauncherConfig.refuseUnknown(fleets, "cluster.fleets.", Set.of("primary", "core", "task"));
        List<Fleet> fleetList = List.of(
                Fleet.from(Fleet.Role.PRIMARY, fleets.getConfig("primary")),
                Fleet.from(Fleet.Role.CORE, fleets.getConfig("core")),
                Fleet.from(Fleet.Role.TASK, fleets.getConfig("task")));
        Config bootstrap = config.getConfig("bootstrap");
        LauncherConfig.refuseUnknown(bootstrap, "cluster.bootstrap.", Set.of("jemalloc", "openvino"));
        SparkSettings spark = SparkSettings.from(config.getConfig("spark"));
        if (!bootstrap.getBoolean("jemalloc") && !spark.jemallocLibrary().isEmpty()) {
            throw LauncherConfig.invalid("cluster.bootstrap.jemalloc", false,
                    "true while cluster.spark.jemalloc-library is set (LD_PRELOAD of a library that is not installed fails every JVM)");
        }
        return new ClusterTemplate(LauncherConfig.nonEmpty(config, "name"), releaseLabel, LauncherConfig.strings(config, "applications"), ebs,
                LauncherConfig.strings(config, "subnet-ids"), fleetList, spark, bootstrap.getBoolean("jemalloc"),
                bootstrap.getBoolean("openvino"),
                LauncherConfig.duration(config, "idle-timeout", "cluster.", Duration.ofMinutes(1), Duration.ofDays(7)),
                LauncherConfig.actionOnFailure(config.getString("action-on-failure")), LauncherConfig.strings(config.getConfig("tags")));
    }
}

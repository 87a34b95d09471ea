package org.yolofleet.emr.config;

import com.typesafe.config.Config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One instance fleet of the cluster template: how many units on demand and on Spot, which instance types may fill them,
 * and (for Spot) how they are chosen and what happens when Spot capacity does not come.
 */
public record Fleet(Role role, int targetOnDemand, int targetSpot, List<InstanceType> instanceTypes, Optional<Spot> spot) {

    /** The EMR fleet type. */
    public enum Role {
        PRIMARY, CORE, TASK;

        /** The EMR API's name (InstanceFleetType): MASTER for the primary node. */
        public String apiName() {
            return switch (this) {
                case PRIMARY -> "MASTER";
                case CORE -> "CORE";
                case TASK -> "TASK";
            };
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One instance type a fleet may launch, and the units of capacity it counts for. */
    public record InstanceType(String type, int weight) {
        public InstanceType {
            requireNonNull(type, "type");
        }
    }

    /** How a fleet's Spot capacity is provisioned. */
    public record Spot(String allocationStrategy, Duration timeout, String timeoutAction) {
        static final Set<String> STRATEGIES = Set.of("price-capacity-optimized", "capacity-optimized",
                "capacity-optimized-prioritized", "lowest-price", "diversified");
        static final Set<String> ACTIONS = Set.of("SWITCH_TO_ON_DEMAND", "TERMINATE_CLUSTER");
    }

    public Fleet {
        requireNonNull(role, "role");
        instanceTypes = List.copyOf(instanceTypes);
        requireNonNull(spot, "spot");
    }

    /** The units of capacity of the fleet (on demand plus Spot). */
    public int targetCapacity() {
        return targetOnDemand + targetSpot;
    }

    static Fleet from(Role role, Config config) {
        String path = "cluster.fleets." + role.key() + ".";
        LauncherConfig.refuseUnknown(config, path, Set.of("target-on-demand", "target-spot", "instance-types", "spot"));
        int onDemand = config.getInt("target-on-demand");
        int spotTarget = config.getInt("target-spot");
        if (onDemand < 0 || spotTarget < 0 || onDemand + spotTarget == 0) {
            throw LauncherConfig.invalid(path + "target-on-demand", onDemand, "non-negative targets with at least one unit in all");
        }
        if (role == Role.PRIMARY && onDemand + spotTarget != 1) {
            throw LauncherConfig.invalid(path + "target-on-demand", onDemand, "exactly one primary node (target-on-demand = 1, target-spot = 0)");
        }
        List<InstanceType> types = new ArrayList<>();
        for (Config type : config.getConfigList("instance-types")) {
            LauncherConfig.refuseUnknown(type, path + "instance-types[].", Set.of("type", "weight"));
            int weight = type.getInt("weight");
            if (weight < 1) {
                throw LauncherConfig.invalid(path + "instance-types[].weight", weight, "1 or more");
            }
            types.add(new InstanceType(LauncherConfig.nonEmpty(type, "type"), weight));
        }
        int maximum = role == Role.PRIMARY ? 5 : 30;
        if (types.isEmpty() || types.size() > maximum) {
            throw LauncherConfig.invalid(path + "instance-types", types.size() + " types", "1 to " + maximum + " instance types for the "
                    + role.key() + " fleet");
        }
        Optional<Spot> spot = Optional.empty();
        if (config.hasPath("spot")) {
            Config spotConfig = config.getConfig("spot");
            LauncherConfig.refuseUnknown(spotConfig, path + "spot.", Set.of("allocation-strategy", "timeout", "timeout-action"));
            String strategy = spotConfig.getString("allocation-strategy");
            if (!Spot.STRATEGIES.contains(strategy)) {
                throw LauncherConfig.invalid(path + "spot.allocation-strategy", strategy, String.join(", ", Spot.STRATEGIES));
            }
            String action = spotConfig.getString("timeout-action");
            if (!Spot.ACTIONS.contains(action)) {
                throw LauncherConfig.invalid(path + "spot.timeout-action", action, String.join(", ", Spot.ACTIONS));
            }
            spot = Optional.of(new Spot(strategy, LauncherConfig.duration(spotConfig, "timeout", path + "spot.", Duration.ofMinutes(5),
                    Duration.ofDays(1)), action));
        } else if (spotTarget > 0) {
            throw new org.yolofleet.core.error.YoloFleetException(org.yolofleet.core.error.ErrorCode.CONFIG,
                    "'" + path + "target-spot' = " + spotTarget + " needs a '" + path + "spot' block (allocation-strategy, timeout, timeout-action)");
        }
        return new Fleet(role, onDemand, spotTarget, types, spot);
    }
}

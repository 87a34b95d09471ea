package org.yolofleet.emr.config;

import com.typesafe.config.Config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Instance prices for {@code plan}: on-demand EC2 and EMR dollars per hour, vCPUs per type, and the Spot discount. */
public record Prices(Map<String, Double> onDemand, Map<String, Double> emr, Map<String, Integer> vcpus, double spotDiscount) {

    public Prices {
        onDemand = Map.copyOf(onDemand);
        emr = Map.copyOf(emr);
        vcpus = Map.copyOf(vcpus);
    }

    static Prices from(Config config) {
        LauncherConfig.refuseUnknown(config, "prices.", Set.of("on-demand", "emr", "spot-discount", "vcpus"));
        double discount = config.getDouble("spot-discount");
        if (discount < 0 || discount >= 1) {
            throw LauncherConfig.invalid("prices.spot-discount", discount, "0 (Spot costs as much as on demand) up to, not including, 1");
        }
        Map<String, Double> onDemand = new HashMap<>();
        Map<String, Double> emr = new HashMap<>();
        Map<String, Integer> vcpus = new HashMap<>();
        config.getConfig("on-demand").root().keySet().forEach(type -> onDemand.put(type, config.getConfig("on-demand").getDouble("\"" + type + "\"")));
        config.getConfig("emr").root().keySet().forEach(type -> emr.put(type, config.getConfig("emr").getDouble("\"" + type + "\"")));
        config.getConfig("vcpus").root().keySet().forEach(type -> vcpus.put(type, config.getConfig("vcpus").getInt("\"" + type + "\"")));
        return new Prices(onDemand, emr, vcpus, discount);
    }
}

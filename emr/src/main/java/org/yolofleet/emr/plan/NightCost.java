package org.yolofleet.emr.plan;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.emr.config.Fleet;
import org.yolofleet.emr.config.LauncherConfig;
import org.yolofleet.emr.config.Prices;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What one night costs: the training time from the images to train, the epochs and the core fleet's vCPUs at the
 * configured images per second per core, plus the fixed overhead, times each fleet's hourly price (on demand, or Spot
 * at the configured discount, plus EMR's charge). Each fleet is priced at its first instance type. The throughput is
 * measured off EMR by {@code bench/run averaging}, or configured ({@link TrainingRate}).
 */
public record NightCost(long images, int epochs, int trainingCores, TrainingRate rate, Duration training, Duration night,
                        List<FleetCost> fleets) {

    /** One fleet's share of the bill. */
    public record FleetCost(Fleet.Role role, String instanceType, int onDemand, int spot, double dollarsPerHour, double dollars) {
    }

    public NightCost {
        requireNonNull(rate, "rate");
        fleets = List.copyOf(fleets);
    }

    /** The night's total, US dollars. */
    public double dollars() {
        return fleets.stream().mapToDouble(FleetCost::dollars).sum();
    }

    /** Prices a night that trains {@code images} training samples for {@code epochs} epochs on the configured cluster. */
    public static NightCost estimate(LauncherConfig config, long images, int epochs) {
        if (images < 1 || epochs < 1) {
            throw new YoloFleetException(ErrorCode.CONFIG, "plan: --images " + images + " --epochs " + epochs + ": both must be 1 or more");
        }
        Prices prices = config.prices();
        Fleet core = config.cluster().fleet(Fleet.Role.CORE);
        int cores = core.targetCapacity() * vcpus(prices, firstType(core));
        TrainingRate rate = TrainingRate.of(config.plan());
        double seconds = (double) images * epochs / (rate.imagesPerSecondPerCore() * cores);
        Duration training = Duration.ofSeconds((long) Math.ceil(seconds));
        Duration night = training.plus(config.plan().fixedOverhead());
        double hours = night.toSeconds() / 3600.0;
        List<FleetCost> fleets = new ArrayList<>();
        for (Fleet fleet : config.cluster().fleets()) {
            String type = firstType(fleet);
            double onDemandPrice = price(prices, type);
            double emr = prices.emr().getOrDefault(type, 0.0);
            double perHour = fleet.targetOnDemand() * (onDemandPrice + emr)
                    + fleet.targetSpot() * (onDemandPrice * (1 - prices.spotDiscount()) + emr);
            fleets.add(new FleetCost(fleet.role(), type, fleet.targetOnDemand(), fleet.targetSpot(), perHour, perHour * hours));
        }
        return new NightCost(images, epochs, cores, rate, training, night, fleets);
    }

    /** The report {@code plan} prints. */
    public List<String> lines(LauncherConfig config) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("night: %d images x %d epochs on %d core vCPUs at %.2f images/s per vCPU", images, epochs, trainingCores,
                rate.imagesPerSecondPerCore()));
        lines.add(String.format("training %s + overhead %s = %s", hours(training), hours(config.plan().fixedOverhead()), hours(night)));
        lines.add(String.format("  %-8s %-12s %9s %5s %9s %9s", "fleet", "type", "on-demand", "spot", "$/hour", "$/night"));
        for (FleetCost fleet : fleets) {
            lines.add(String.format("  %-8s %-12s %9d %5d %9.3f %9.2f", fleet.role().name().toLowerCase(java.util.Locale.ROOT),
                    fleet.instanceType(), fleet.onDemand(), fleet.spot(), fleet.dollarsPerHour(), fleet.dollars()));
        }
        lines.add(String.format("total $%.2f per night, $%.0f per 30 nights (Spot at %.0f %% off on demand; EBS, S3 and data transfer not included)",
                dollars(), dollars() * 30, config.prices().spotDiscount() * 100));
        lines.add("images/s per vCPU from " + rate.source());
        return lines;
    }

    private static String hours(Duration duration) {
        return String.format("%d h %02d min", duration.toHours(), duration.toMinutesPart());
    }

    private static String firstType(Fleet fleet) {
        return fleet.instanceTypes().get(0).type();
    }

    private static double price(Prices prices, String type) {
        Double price = prices.onDemand().get(type);
        if (price == null) {
            throw new YoloFleetException(ErrorCode.CONFIG, "plan: no price for " + type + ": add prices.on-demand.\"" + type + "\" (dollars per hour)");
        }
        return price;
    }

    private static int vcpus(Prices prices, String type) {
        Integer vcpus = prices.vcpus().get(type);
        if (vcpus == null) {
            throw new YoloFleetException(ErrorCode.CONFIG, "plan: no vCPU count for " + type + ": add prices.vcpus.\"" + type + "\"");
        }
        return vcpus;
    }
}

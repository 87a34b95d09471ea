package org.yolofleet.emr.plan;

import org.junit.jupiter.api.Test;
import org.yolofleet.emr.config.Fleet;
import org.yolofleet.emr.config.LauncherConfig;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NightCostTest {
    static final Path CONF = Path.of("conf/emr-launcher.conf");

    @Test
    void aNightCostsTrainingTimeOnTheCoreVcpusTimesEachFleetsHourlyPrice() {
        LauncherConfig config = LauncherConfig.load(CONF, List.of());
        NightCost cost = NightCost.estimate(config, 100_000, 10);

        int cores = config.cluster().fleet(Fleet.Role.CORE).targetCapacity() * config.prices().vcpus().get("m5.2xlarge");
        assertThat(cost.trainingCores()).isEqualTo(cores);
        double trainingSeconds = 100_000.0 * 10 / (cost.rate().imagesPerSecondPerCore() * cores);
        assertThat(cost.training().toSeconds()).isEqualTo((long) Math.ceil(trainingSeconds));
        double hours = (Math.ceil(trainingSeconds) + config.plan().fixedOverhead().toSeconds()) / 3600.0;

        double onDemand = config.prices().onDemand().get("m5.2xlarge");
        double emr = config.prices().emr().get("m5.2xlarge");
        double task = 4 * (onDemand * (1 - config.prices().spotDiscount()) + emr);
        assertThat(cost.fleets().get(2).dollarsPerHour()).isCloseTo(task, within(1e-9));
        double perHour = (config.prices().onDemand().get("m5.xlarge") + config.prices().emr().get("m5.xlarge"))
                + 4 * (onDemand + emr) + task;
        assertThat(cost.dollars()).isCloseTo(perHour * hours, within(1e-6));
        assertThat(cost.lines(config)).anySatisfy(line -> assertThat(line).startsWith("total $"))
                .anySatisfy(line -> assertThat(line).isEqualTo("images/s per vCPU from " + cost.rate().source()));
    }

    @Test
    void moreEpochsTrainProportionallyLongerAndSpotMakesTasksCheaper() {
        LauncherConfig config = LauncherConfig.load(CONF, List.of());
        NightCost ten = NightCost.estimate(config, 50_000, 10);
        NightCost twenty = NightCost.estimate(config, 50_000, 20);
        assertThat(twenty.training().toSeconds()).isCloseTo(2 * ten.training().toSeconds(), within(1L));
        assertThat(twenty.dollars()).isGreaterThan(ten.dollars());
        NightCost noDiscount = NightCost.estimate(LauncherConfig.load(CONF, List.of("prices.spot-discount=0")), 50_000, 10);
        assertThat(noDiscount.fleets().get(2).dollarsPerHour()).isGreaterThan(ten.fleets().get(2).dollarsPerHour());
    }

    @Test
    void aTypeWithoutAPriceIsNamed() {
        LauncherConfig config = LauncherConfig.load(CONF, List.of("cluster.fleets.primary.instance-types=[{type=r7g.large, weight=1}]"));
        assertThatThrownBy(() -> NightCost.estimate(config, 1000, 1)).hasMessageContaining("r7g.large").hasMessageContaining("prices.on-demand");
    }
}

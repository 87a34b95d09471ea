package org.yolofleet.emr.plan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.emr.config.LauncherConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingRateTest {
    @Test
    void theRateIsTheMeasuredLineOfTheBenchmarkResultAndThePlanSaysSo(@TempDir Path directory) throws IOException {
        Path result = directory.resolve("averaging.txt");
        Files.writeString(result, """
                averaging benchmark: ...
                  train stage, standalone cluster: 2 executor JVMs x 1 core        3.10 images/s   efficiency 0.71

                # what yolofleet-emr plan reads:
                plan.images-per-second-per-core = 1.55
                """);
        LauncherConfig config = LauncherConfig.load(NightCostTest.CONF, List.of("plan.measured-rate=" + result));

        TrainingRate rate = TrainingRate.of(config.plan());
        NightCost cost = NightCost.estimate(config, 10_000, 2);

        assertThat(rate.imagesPerSecondPerCore()).isEqualTo(1.55);
        assertThat(rate.source()).startsWith("measured, " + result);
        assertThat(cost.rate()).isEqualTo(rate);
        assertThat(cost.lines(config)).contains("images/s per vCPU from " + rate.source())
                .anySatisfy(line -> assertThat(line).contains("at 1.55 images/s per vCPU"));
    }

    @Test
    void theConfiguredRateOverridesTheMeasuredOne(@TempDir Path directory) throws IOException {
        Path result = Files.writeString(directory.resolve("averaging.txt"), "plan.images-per-second-per-core = 1.55\n");
        LauncherConfig config = LauncherConfig.load(NightCostTest.CONF,
                List.of("plan.measured-rate=" + result, "plan.images-per-second-per-core=4.2"));

        TrainingRate rate = TrainingRate.of(config.plan());

        assertThat(rate.imagesPerSecondPerCore()).isEqualTo(4.2);
        assertThat(rate.source()).startsWith("plan.images-per-second-per-core in the launcher configuration").contains(result.toString());
    }

    @Test
    void aMissingResultOrOneWithoutTheLineIsNamedWithTheRemedies(@TempDir Path directory) throws IOException {
        Path missing = directory.resolve("missing.txt");
        assertThatThrownBy(() -> TrainingRate.of(LauncherConfig.load(NightCostTest.CONF, List.of("plan.measured-rate=" + missing)).plan()))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("bench/run averaging")
                .hasMessageContaining("plan.images-per-second-per-core");
        Path other = Files.writeString(directory.resolve("train.txt"), "train benchmark: 4.42 images/s\n");
        assertThatThrownBy(() -> TrainingRate.of(LauncherConfig.load(NightCostTest.CONF, List.of("plan.measured-rate=" + other)).plan()))
                .hasMessageContaining("has no line 'plan.images-per-second-per-core = R'");
        assertThatThrownBy(() -> LauncherConfig.load(NightCostTest.CONF, List.of("plan.images-per-second-per-core=0")))
                .hasMessageContaining("plan.images-per-second-per-core");
    }

    /** The launcher's own configuration reads the benchmark result committed in bench/results. */
    @Test
    void theShippedConfigurationReadsTheCommittedAveragingResult() {
        LauncherConfig config = LauncherConfig.load(NightCostTest.CONF, List.of());

        assertThat(config.plan().imagesPerSecondPerCore()).isEmpty();
        assertThat(config.plan().measuredRate()).isEqualTo(Path.of("..", "bench", "results", "averaging.txt").toAbsolutePath().normalize());
        TrainingRate rate = TrainingRate.of(config.plan());
        assertThat(rate.source()).startsWith("measured, ");
        assertThat(rate.imagesPerSecondPerCore()).isPositive();
    }
}

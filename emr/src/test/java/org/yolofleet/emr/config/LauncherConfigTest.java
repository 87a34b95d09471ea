package org.yolofleet.emr.config;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LauncherConfigTest {
    static final Path CONF = Path.of("conf/emr-launcher.conf");

    @Test
    void theShippedConfigurationLoadsWithItsClusterTemplate() {
        LauncherConfig config = LauncherConfig.load(CONF, List.of());
        assertThat(config.cluster().releaseLabel()).isEqualTo("emr-7.13.0");
        assertThat(config.cluster().fleet(Fleet.Role.PRIMARY).targetOnDemand()).isEqualTo(1);
        assertThat(config.cluster().fleet(Fleet.Role.CORE).spot()).isEmpty();
        Fleet task = config.cluster().fleet(Fleet.Role.TASK);
        assertThat(task.targetOnDemand()).isZero();
        assertThat(task.spot()).get().satisfies(spot -> {
            assertThat(spot.allocationStrategy()).isEqualTo("price-capacity-optimized");
            assertThat(spot.timeoutAction()).isEqualTo("SWITCH_TO_ON_DEMAND");
        });
        assertThat(config.cluster().idleTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(config.jobsConfig()).isRegularFile().hasFileName("emr.conf");
        assertThat(config.bootstrapDirectory().resolve("install-jemalloc.sh")).isRegularFile();
        assertThat(config.deployUri("1.0")).isEqualTo("s3://my-bucket/yolofleet/deploy/1.0");
        assertThat(config.releaseStoreUri()).isEqualTo("s3://my-bucket/yolofleet");
    }

    @Test
    void theReleaseStoreIsWhatTheReleasesAndChannelsPrefixesShare() {
        assertThat(LauncherConfig.load(CONF, List.of("prefixes.releases=releases", "prefixes.channels=channels")).releaseStoreUri())
                .isEqualTo("s3://my-bucket");
        assertThat(LauncherConfig.load(CONF, List.of("prefixes.releases=a/b/releases", "prefixes.channels=a/b/channels")).releaseStoreUri())
                .isEqualTo("s3://my-bucket/a/b");
        // publish writes <store>/releases and <store>/channels: any other pair would leave the IAM policies granting the wrong keys
        assertThatThrownBy(() -> LauncherConfig.load(CONF, List.of("prefixes.releases=yolofleet/models")))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("'prefixes.releases' = 'yolofleet/models'").hasMessageContaining("ending in 'releases'");
        assertThatThrownBy(() -> LauncherConfig.load(CONF, List.of("prefixes.channels=other/channels")))
                .hasMessageContaining("'prefixes.channels' = 'other/channels'").hasMessageContaining("'yolofleet/channels'");
        assertThatThrownBy(() -> LauncherConfig.load(CONF, List.of("prefixes.releases=myreleases", "prefixes.channels=channels")))
                .hasMessageContaining("prefixes.releases");
    }

    @Test
    void theJvmFlagsAreThoseOfTheRepositorysJava17OpensFile() throws IOException {
        List<String> opens = Files.readAllLines(Path.of("../conf/java17-opens.args")).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(opens).isNotEmpty();
        SparkSettings spark = LauncherConfig.load(CONF, List.of()).cluster().spark();
        assertThat(spark.javaOptions()).containsExactlyElementsOf(opens);
        assertThat(spark.sparkDefaults().get("spark.driver.extraJavaOptions")).startsWith(String.join(" ", opens));
    }

    @Test
    void overridesWin() {
        LauncherConfig config = LauncherConfig.load(CONF, List.of("bucket=other-bucket", "cluster.fleets.core.target-on-demand=6",
                "schedule.time-zone=UTC"));
        assertThat(config.bucket()).isEqualTo("other-bucket");
        assertThat(config.cluster().fleet(Fleet.Role.CORE).targetOnDemand()).isEqualTo(6);
        assertThat(config.schedule().timeZone()).isEqualTo("UTC");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> LauncherConfig.load(CONF, List.of("cluster.fleets.task.spot.timout=5m")))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("cluster.fleets.task.spot.timout").hasMessageContaining("timeout-action");
    }

    @Test
    void invalidValuesAreRefusedNamingKeyValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> LauncherConfig.load(CONF, List.of("cluster.release-label=emr-6.15.0")))
                .hasMessageContaining("cluster.release-label").hasMessageContaining("emr-6.15.0").hasMessageContaining("EMR 7.x");
        assertThatThrownBy(() -> LauncherConfig.load(CONF, List.of("cluster.fleets.task.spot.allocation-strategy=cheapest")))
                .hasMessageContaining("cheapest").hasMessageContaining("price-capacity-optimized");
        assertThatThrownBy(() -> LauncherConfig.load(CONF, List.of("bucket=My_Bucket"))).hasMessageContaining("'bucket' = 'My_Bucket'");
        assertThatThrownBy(() -> LauncherConfig.load(CONF, List.of("schedule.time-zone=Mars/Olympus")))
                .hasMessageContaining("schedule.time-zone");
        assertThatThrownBy(() -> LauncherConfig.load(CONF, List.of("cluster.action-on-failure=RETRY")))
                .hasMessageContaining("TERMINATE_CLUSTER");
        assertThatThrownBy(() -> LauncherConfig.load(CONF, List.of("roles.job-arn=yolofleet-emr-job")))
                .hasMessageContaining("roles.job-arn");
        assertThatThrownBy(() -> LauncherConfig.load(CONF, List.of("cluster.fleets.primary.target-on-demand=2")))
                .hasMessageContaining("exactly one primary node");
        assertThatThrownBy(() -> LauncherConfig.load(CONF, List.of("cluster.bootstrap.jemalloc=false")))
                .hasMessageContaining("LD_PRELOAD");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> LauncherConfig.load(Path.of("conf/nope.conf"), List.of()))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("nope.conf");
    }

    @Test
    void theGpuConfigurationPutsOneExecutorOnEachGpuNodeAndPricesItsTypes() {
        LauncherConfig config = LauncherConfig.load(Path.of("conf/emr-launcher-gpu.conf"), List.of());
        Fleet core = config.cluster().fleet(Fleet.Role.CORE);
        assertThat(core.instanceTypes()).extracting(Fleet.InstanceType::type).containsExactly("g4dn.2xlarge", "g5.2xlarge");
        // what the GPU template does not change is the CPU template's: the Spot task fleet, the release, the flags
        assertThat(config.cluster().fleet(Fleet.Role.TASK).spot()).isPresent();
        assertThat(config.cluster().releaseLabel()).isEqualTo("emr-7.13.0");
        SparkSettings spark = config.cluster().spark();
        assertThat(spark.taskCpus()).as("one task, so one user of the node's GPU, per executor").isEqualTo(spark.executorCores());
        assertThat(spark.sparkDefaults()).containsEntry("spark.executor.memoryOverhead", "12g")
                .as("a task's OpenMP threads are its task-cpus").containsEntry("spark.executorEnv.OMP_NUM_THREADS", "8");
        assertThat(config.version()).isEqualTo("0.1.0-cuda");
        for (Fleet.InstanceType type : core.instanceTypes()) {
            assertThat(config.prices().onDemand()).containsKey(type.type());
            assertThat(config.prices().vcpus()).containsEntry(type.type(), 8);
        }
    }
}

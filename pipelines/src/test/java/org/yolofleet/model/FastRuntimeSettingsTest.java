package org.yolofleet.model;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FastRuntimeSettingsTest {
    @Test
    void sparkExecutorsGetJemallocAndTheHelperAndThreadProperties() {
        SparkConf conf = new SparkConf(false)
                .set("spark.executor.cores", "4")
                .set("spark.executor.extraJavaOptions", "-XX:+UseG1GC -Dorg.eclipse.deeplearning4j.helpers.disable=true");

        FastRuntimeSettings.defaults().applyTo(conf);

        assertThat(conf.get("spark.executorEnv.LD_PRELOAD")).isEqualTo(FastRuntimeSettings.DEBIAN_JEMALLOC);
        assertThat(conf.get("spark.executorEnv.MALLOC_CONF")).isEqualTo("dirty_decay_ms:-1,muzzy_decay_ms:-1");
        // every task thread starts with the executor's cores as its OpenMP threads (the count is per thread)
        assertThat(conf.get("spark.executorEnv.OMP_NUM_THREADS")).isEqualTo("4");
        assertThat(conf.get("spark.yarn.appMasterEnv.LD_PRELOAD")).isEqualTo(FastRuntimeSettings.DEBIAN_JEMALLOC);
        assertThat(conf.get("spark.executor.extraJavaOptions"))
                .isEqualTo("-XX:+UseG1GC -Dorg.eclipse.deeplearning4j.helpers.disable=false -Dyolofleet.nd4j.threads=4");
        assertThat(conf.get("spark.driver.extraJavaOptions")).isEqualTo("-Dorg.eclipse.deeplearning4j.helpers.disable=false");
    }

    @Test
    void applyingTwiceChangesNothing() {
        FastRuntimeSettings settings = FastRuntimeSettings.defaults().withThreads(8).withJemallocLibrary(FastRuntimeSettings.AMAZON_LINUX_JEMALLOC);
        SparkConf once = settings.applyTo(new SparkConf(false));
        SparkConf twice = settings.applyTo(settings.applyTo(new SparkConf(false)));

        assertThat(twice.getAll()).containsExactlyInAnyOrder(once.getAll());
        assertThat(once.get("spark.executor.extraJavaOptions")).endsWith("-Dyolofleet.nd4j.threads=8");
        assertThat(once.get("spark.executorEnv.LD_PRELOAD")).isEqualTo("/usr/lib64/libjemalloc.so.2");
        assertThat(once.get("spark.executorEnv.OMP_NUM_THREADS")).isEqualTo("8");
        assertThat(FastRuntimeSettings.defaults().applyTo(new SparkConf(false)).contains("spark.executorEnv.OMP_NUM_THREADS"))
                .as("no cores known: each executor takes its machine's").isFalse();
    }

    @Test
    void childProcessSettings() {
        FastRuntimeSettings settings = FastRuntimeSettings.defaults().withThreads(2);

        assertThat(settings.javaOptions()).containsExactly("-Dorg.eclipse.deeplearning4j.helpers.disable=false", "-Dyolofleet.nd4j.threads=2");
        assertThat(settings.environment()).containsExactly(
                Map.entry("LD_PRELOAD", FastRuntimeSettings.DEBIAN_JEMALLOC),
                Map.entry("MALLOC_CONF", FastRuntimeSettings.JEMALLOC_DECAY_OFF));
        assertThatThrownBy(() -> settings.withThreads(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}

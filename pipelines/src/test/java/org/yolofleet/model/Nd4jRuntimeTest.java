package org.yolofleet.model;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.junit.jupiter.api.Test;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class Nd4jRuntimeTest {
    @Test
    void fastConfigurationTurnsOnOneDnnHelpersAndSetsThreads() {
        RuntimeReport report = Nd4jRuntime.applyFastConfiguration(1);

        assertThat(report.backend()).isEqualToIgnoringCase("CPU");
        assertThat(report.ompThreads()).isEqualTo(1);
        assertThat(NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads()).isEqualTo(1);
        assertThat(report.oneDnnHelpersEnabled()).isTrue();
        assertThat(System.getProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY)).isEqualTo("false");

        RuntimeReport again = Nd4jRuntime.applyFastConfiguration();
        assertThat(again.ompThreads()).isEqualTo(Nd4jRuntime.configuredThreads());
        assertThat(Nd4jRuntime.applyFastConfiguration()).isEqualTo(again);
    }

    /** The nd4j.classifier build (oneDNN, AVX-512 on this CPU) is the binary JavaCPP loaded, not the plain one beside it. */
    @Test
    void loadedNativeLibraryIsTheFastestOnTheClasspath() {
        RuntimeReport report = Nd4jRuntime.applyFastConfiguration();

        assertThat(report.variantsOnClasspath()).contains(report.nativeVariant());
        assertThat(report.nativeVariant()).isEqualTo(report.preferredVariant()).contains("-onednn");
        assertThat(report.nativeLibrary()).contains(report.nativeVariant()).endsWith("libnd4jcpu.so");
        assertThat(report.oneDnnInLibrary()).isTrue();
    }

    /** Our org.nd4j.nativeblas.Nd4jCpu answers DL4J's reflective check with ND4J's renamed binding. */
    @Test
    void oldEnvironmentClassDelegatesToTheRenamedBinding() throws Exception {
        Class<?> environment = Class.forName("org.nd4j.nativeblas.Nd4jCpu$Environment");
        Object instance = environment.getMethod("getInstance").invoke(null);
        Object useMklDnn = environment.getMethod("isUseMKLDNN").invoke(instance);

        assertThat(useMklDnn).isEqualTo(org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN());
        assertThat(BaseMKLDNNHelper.mklDnnEnabled()).isTrue();
    }

    @Test
    void cpuFlagsDecideWhichVariantsRun() {
        assertThat(Nd4jRuntime.cpuCanRun("linux-x86_64-onednn-avx512", java.util.Set.of("avx2", "fma"))).isFalse();
        assertThat(Nd4jRuntime.cpuCanRun("linux-x86_64-onednn-avx2", java.util.Set.of("avx2", "fma"))).isTrue();
        assertThat(Nd4jRuntime.cpuCanRun("linux-x86_64-onednn-avx512",
                java.util.Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq"))).isTrue();
        assertThat(Nd4jRuntime.cpuCanRun("linux-x86_64", java.util.Set.of())).isTrue();
    }

    @Test
    void reportNamesEveryDeviationFromTheFastConfiguration() {
        RuntimeReport slow = new RuntimeReport("CPU", "linux-x86_64", "/cache/linux-x86_64/libnd4jcpu.so",
                List.of("linux-x86_64-onednn-avx512", "linux-x86_64"), "linux-x86_64-onednn-avx512", false, false, 4, 2, 2,
                Optional.empty(), "", Optional.of(new RuntimeReport.NetworkModes(WorkspaceMode.ENABLED, WorkspaceMode.NONE, CacheMode.NONE)));
        RuntimeReport fast = new RuntimeReport("CPU", "linux-x86_64-onednn-avx512", "/cache/x/libnd4jcpu.so",
                List.of("linux-x86_64-onednn-avx512", "linux-x86_64"), "linux-x86_64-onednn-avx512", true, true, 2, 2, 2,
                Optional.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"), FastRuntimeSettings.JEMALLOC_DECAY_OFF,
                Optional.of(new RuntimeReport.NetworkModes(WorkspaceMode.ENABLED, WorkspaceMode.ENABLED, CacheMode.DEVICE)));

        assertThat(slow.deviationsFromFast()).hasSize(7);
        assertThat(slow.toText()).contains("libnd4j linux-x86_64 (", "OpenMP threads: 4 on 2 cores", "malloc: glibc", "cache mode NONE",
                "not complete");
        assertThat(fast.isFast()).isTrue();
        assertThat(fast.toText()).contains("jemalloc /usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "fast configuration: complete");
    }

    /** A Spark executor of one core on a bigger machine runs one thread on purpose ({@code yolofleet.nd4j.threads}): fast. */
    @Test
    void threadsAreComparedWithTheConfiguredCountNotTheMachinesCores() {
        RuntimeReport executor = new RuntimeReport("CPU", "linux-x86_64-onednn-avx512", "/cache/x/libnd4jcpu.so",
                List.of("linux-x86_64-onednn-avx512"), "linux-x86_64-onednn-avx512", true, true, 1, 1, 2,
                Optional.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"), FastRuntimeSettings.JEMALLOC_DECAY_OFF, Optional.empty());
        RuntimeReport misconfigured = new RuntimeReport("CPU", "linux-x86_64-onednn-avx512", "/cache/x/libnd4jcpu.so",
                List.of("linux-x86_64-onednn-avx512"), "linux-x86_64-onednn-avx512", true, true, 4, 1, 2,
                Optional.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"), FastRuntimeSettings.JEMALLOC_DECAY_OFF, Optional.empty());

        assertThat(executor.isFast()).isTrue();
        assertThat(executor.toText()).contains("OpenMP threads: 1 on 2 cores (1 configured)");
        assertThat(misconfigured.deviationsFromFast()).containsExactly("ND4J uses 4 OpenMP threads on 2 cores (1 configured)");
    }

    @Test
    void networkReportCarriesItsModes() {
        RuntimeReport report = Nd4jRuntime.report(TinyYoloGraphBuilder.forSpec(ModelFixtures.miniature(1)).build());

        assertThat(report.network()).contains(new RuntimeReport.NetworkModes(WorkspaceMode.ENABLED, WorkspaceMode.ENABLED, CacheMode.DEVICE));
        assertThat(report.deviationsFromFast()).noneMatch(deviation -> deviation.contains("workspaces") || deviation.contains("cache"));
    }
}

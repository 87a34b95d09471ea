package org.yolofleet.model;

import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The fast configuration of ND4J/DL4J for this process, and a {@link RuntimeReport} of what actually runs.
 *
 * <p>Out of the box DL4J 1.0.0-M2 runs Tiny-YOLOv2 several times slower than it can on a CPU. The fast configuration is
 * five measures; this class applies the two that can be applied from inside a running JVM, and reports all five:
 * <ol>
 *   <li>the {@code -onednn-avx512} (or {@code -onednn-avx2}) build of libnd4j, compiled for the CPU's vector
 *       instructions (the plain {@code linux-x86_64} build, which the {@code nd4j-native} dependency always brings
 *       along, is generic x86-64): the {@code nd4j.classifier} build property. JavaCPP tries the preset's extensions in
 *       order ({@code -onednn}, {@code -onednn-avx512}, {@code -onednn-avx2}, plain...), so it loads the classifier's
 *       build before the plain one; the report reads which one it actually loaded from JavaCPP;</li>
 *   <li>DL4J's oneDNN layer helpers: {@link #applyFastConfiguration()} sets {@value #HELPERS_DISABLE_PROPERTY} to
 *       {@code false} (M2's default is {@code true}); DL4J reads it whenever a layer is created, so this must happen
 *       before the network is built. The helper check itself needs {@link org.nd4j.nativeblas.Nd4jCpu}, our workaround
 *       for M2 looking up a class ND4J renamed;</li>
 *   <li>OpenMP threads = cores: ND4J starts 4 threads whatever {@code OMP_NUM_THREADS} says, so this sets them after
 *       start-up ({@value #THREADS_PROPERTY} overrides the count, such as the Spark executor's cores);</li>
 *   <li>jemalloc preloaded with decay off: an environment setting of the JVM ({@link FastRuntimeSettings});</li>
 *   <li>workspaces enabled and {@code CacheMode.DEVICE}: network settings ({@link TinyYoloGraphBuilder}).</li>
 * </ol>
 * Applying is idempotent and cheap: call it wherever a network runs (local runner, Spark driver, each executor task).
 */
public final class Nd4jRuntime {
    /** DL4J M2's switch for all layer helpers; {@code true} unless set. */
    public static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
    /** OpenMP threads for ND4J; the JVM's available processors when not set. */
    public static final String THREADS_PROPERTY = "yolofleet.nd4j.threads";

    private static final Logger LOG = LoggerFactory.getLogger(Nd4jRuntime.class);
    private static final String LIBRARY_DIRECTORY = "org/nd4j/linalg/cpu/nativecpu/bindings/";
    /** libnd4j builds by preference: oneDNN first, then the widest vector instructions. */
    private static final List<String> VARIANT_EXTENSIONS =
            List.of("-onednn-avx512", "-onednn-avx2", "-onednn", "-avx512", "-avx2", "", "-compat");

    private static boolean applied;

    private Nd4jRuntime() {}

    /** Applies the fast configuration with {@link #configuredThreads()} OpenMP threads; returns the report. */
    public static RuntimeReport applyFastConfiguration() {
        return applyFastConfiguration(configuredThreads());
    }

    /** Applies the fast configuration with the given number of OpenMP threads; returns the report. */
    public static synchronized RuntimeReport applyFastConfiguration(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("OpenMP threads must be at least 1, got " + threads);
        }
        System.setProperty(HELPERS_DISABLE_PROPERTY, "false");
        Nd4j.getEnvironment().allowHelpers(true);
        setOmpThreads(threads);
        RuntimeReport report = report();
        if (!applied) {
            applied = true;
            LOG.info("ND4J fast configuration applied:\n{}", report.toText());
        }
        return report;
    }

    /** Sets ND4J's OpenMP threads (only that measure of the fast configuration); loads ND4J first if needed. */
    public static void setOmpThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("OpenMP threads must be at least 1, got " + threads);
        }
        Nd4j.getBackend();
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    /** {@value #THREADS_PROPERTY} when set, else the processors the JVM sees. */
    public static int configuredThreads() {
        String configured = System.getProperty(THREADS_PROPERTY);
        if (configured == null || configured.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int threads = Integer.parseInt(configured.trim());
            if (threads >= 1) {
                return threads;
            }
        }
        catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + THREADS_PROPERTY + " must be a positive integer, got '" + configured + "'");
    }

    /** What runs in this process now, without changing anything (loads ND4J if it is not loaded yet). */
    public static RuntimeReport report() {
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend", "unknown");
        int ompThreads = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        String library = Loader.getLoadedLibraries().getOrDefault("nd4jcpu", "");
        String variant = library.isEmpty() ? "not loaded" : Path.of(library).getParent().getFileName().toString();
        List<String> onClasspath = variantsOnClasspath();
        Set<String> cpuFlags = cpuFlags();
        String preferred = onClasspath.stream()
                .filter(candidate -> cpuCanRun(candidate, cpuFlags))
                .findFirst()
                .orElse(variant);
        boolean oneDnnInLibrary = org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        boolean helpersEnabled = !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE_PROPERTY, "true"))
                && Nd4j.getEnvironment().helpersAllowed()
                && BaseMKLDNNHelper.mklDnnEnabled();
        return new RuntimeReport(backend, variant, library, onClasspath, preferred, oneDnnInLibrary, helpersEnabled, ompThreads,
                configuredThreads(), Runtime.getRuntime().availableProcessors(), mappedJemalloc(), Optional.ofNullable(System.getenv("MALLOC_CONF")).orElse(""),
                Optional.empty());
    }

    /** {@link #report()} with the workspace and cache modes of the given network. */
    public static RuntimeReport report(ComputationGraph network) {
        requireNonNull(network, "network");
        ComputationGraphConfiguration configuration = network.getConfiguration();
        return report().withNetwork(new RuntimeReport.NetworkModes(configuration.getTrainingWorkspaceMode(),
                configuration.getInferenceWorkspaceMode(), configuration.getCacheMode()));
    }

    /** The libnd4j variants on the classpath, in order of preference, such as {@code linux-x86_64-onednn-avx512}. */
    static List<String> variantsOnClasspath() {
        String platform = Loader.getPlatform();
        String fileName = System.mapLibraryName("nd4jcpu");
        ClassLoader classLoader = Nd4jRuntime.class.getClassLoader();
        List<String> variants = new ArrayList<>();
        for (String extension : VARIANT_EXTENSIONS) {
            String variant = platform + extension;
            if (classLoader.getResource(LIBRARY_DIRECTORY + variant + "/" + fileName) != null) {
                variants.add(variant);
            }
        }
        return List.copyOf(variants);
    }

    /** Whether a CPU with these {@code /proc/cpuinfo} flags runs the variant; true when the flags are unknown. */
    static boolean cpuCanRun(String variant, Set<String> cpuFlags) {
        if (cpuFlags.isEmpty()) {
            return true;
        }
        if (variant.endsWith("-avx512")) {
            return cpuFlags.containsAll(List.of("avx512f", "avx512bw", "avx512vl", "avx512dq"));
        }
        if (variant.endsWith("-avx2")) {
            return cpuFlags.containsAll(List.of("avx2", "fma"));
        }
        return true;
    }

    private static Set<String> cpuFlags() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("flags"))
                    .findFirst()
                    .map(line -> Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")))
                    .orElse(Set.of());
        }
        catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /** The jemalloc shared library mapped into this process, read from {@code /proc/self/maps} (does not load ND4J). */
    public static Optional<String> mappedJemalloc() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(line -> line.indexOf('/') >= 0)
                    .map(line -> line.substring(line.indexOf('/')).trim())
                    .filter(path -> path.substring(path.lastIndexOf('/') + 1).startsWith("libjemalloc"))
                    .findFirst();
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

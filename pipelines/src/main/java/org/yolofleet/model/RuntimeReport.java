package org.yolofleet.model;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How ND4J/DL4J actually runs in this process, measured rather than assumed, for the summaries of the local runner,
 * the Spark driver and executors, and the benchmark. {@link #deviationsFromFast()} lists what keeps it from the fast
 * configuration of {@link Nd4jRuntime}.
 *
 * @param backend ND4J's backend, {@code CPU} here
 * @param nativeVariant the platform directory of the libnd4j binary the process loaded, such as
 *                      {@code linux-x86_64-onednn-avx512} (read from JavaCPP's loaded libraries, not from the classpath)
 * @param nativeLibrary where that binary was loaded from
 * @param variantsOnClasspath every libnd4j variant the classpath holds
 * @param preferredVariant the fastest of those this CPU can run (oneDNN and AVX-512 first)
 * @param oneDnnInLibrary the loaded libnd4j was built with oneDNN and uses it
 * @param oneDnnHelpersEnabled DL4J will attach its oneDNN layer helpers to new layers: helpers not disabled by
 *                             {@code org.eclipse.deeplearning4j.helpers.disable} and DL4J's own oneDNN check passes
 * @param ompThreads OpenMP threads ND4J computes with
 * @param configuredThreads the OpenMP threads the fast configuration asks for: the cores, or {@code yolofleet.nd4j.threads}
 *                          where set (a Spark executor's cores)
 * @param availableProcessors cores the JVM sees
 * @param jemalloc the jemalloc library mapped into the process (preloaded), empty when malloc is glibc's
 * @param mallocConf the {@code MALLOC_CONF} environment variable, empty when not set
 * @param network workspace and cache modes of the network the report was made for, empty for a process-only report
 */
public record RuntimeReport(
        String backend,
        String nativeVariant,
        String nativeLibrary,
        List<String> variantsOnClasspath,
        String preferredVariant,
        boolean oneDnnInLibrary,
        boolean oneDnnHelpersEnabled,
        int ompThreads,
        int configuredThreads,
        int availableProcessors,
        Optional<String> jemalloc,
        String mallocConf,
        Optional<NetworkModes> network) {
    public RuntimeReport {
        requireNonNull(backend, "backend");
        requireNonNull(nativeVariant, "nativeVariant");
        requireNonNull(nativeLibrary, "nativeLibrary");
        variantsOnClasspath = List.copyOf(requireNonNull(variantsOnClasspath, "variantsOnClasspath"));
        requireNonNull(preferredVariant, "preferredVariant");
        requireNonNull(jemalloc, "jemalloc");
        requireNonNull(mallocConf, "mallocConf");
        requireNonNull(network, "network");
    }

    /** The workspace and cache modes of one network. */
    public record NetworkModes(WorkspaceMode trainingWorkspaceMode, WorkspaceMode inferenceWorkspaceMode, CacheMode cacheMode) {
        public NetworkModes {
            requireNonNull(trainingWorkspaceMode, "trainingWorkspaceMode");
            requireNonNull(inferenceWorkspaceMode, "inferenceWorkspaceMode");
            requireNonNull(cacheMode, "cacheMode");
        }
    }

    public RuntimeReport withNetwork(NetworkModes modes) {
        return new RuntimeReport(backend, nativeVariant, nativeLibrary, variantsOnClasspath, preferredVariant, oneDnnInLibrary,
                oneDnnHelpersEnabled, ompThreads, configuredThreads, availableProcessors, jemalloc, mallocConf, Optional.of(modes));
    }

    /** What differs from the fast configuration, one readable item each; empty when the process runs it fully. */
    public List<String> deviationsFromFast() {
        List<String> deviations = new ArrayList<>();
        if (!nativeVariant.equals(preferredVariant)) {
            deviations.add("libnd4j " + nativeVariant + " is loaded, " + preferredVariant + " is on the classpath and faster on this CPU");
        }
        if (!oneDnnInLibrary) {
            deviations.add("the loaded libnd4j does not use oneDNN (choose an -onednn nd4j.classifier)");
        }
        if (!oneDnnHelpersEnabled) {
            deviations.add("DL4J's oneDNN layer helpers are off (org.eclipse.deeplearning4j.helpers.disable is not false, or the check failed)");
        }
        if (ompThreads != configuredThreads) {
            deviations.add("ND4J uses " + ompThreads + " OpenMP threads on " + availableProcessors + " cores"
                    + (configuredThreads == availableProcessors ? "" : " (" + configuredThreads + " configured)"));
        }
        if (jemalloc.isEmpty()) {
            deviations.add("jemalloc is not preloaded (LD_PRELOAD): glibc malloc, measured 3.2x slower per training step (bench/results/model.txt)");
        }
        network.ifPresent(modes -> {
            if (modes.trainingWorkspaceMode() != WorkspaceMode.ENABLED || modes.inferenceWorkspaceMode() != WorkspaceMode.ENABLED) {
                deviations.add("workspaces are not ENABLED (training " + modes.trainingWorkspaceMode() + ", inference "
                        + modes.inferenceWorkspaceMode() + ")");
            }
            if (modes.cacheMode() != CacheMode.DEVICE) {
                deviations.add("cache mode is " + modes.cacheMode() + ", not DEVICE (convolution backprop recomputes the forward pass)");
            }
        });
        return List.copyOf(deviations);
    }

    public boolean isFast() {
        return deviationsFromFast().isEmpty();
    }

    /** A few lines for run summaries. */
    public String toText() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "ND4J backend %s, libnd4j %s (classpath: %s)%n", backend, nativeVariant,
                String.join(", ", variantsOnClasspath)));
        text.append(String.format(Locale.ROOT, "oneDNN: in libnd4j %s, DL4J layer helpers %s%n", yesNo(oneDnnInLibrary),
                oneDnnHelpersEnabled ? "on" : "off"));
        text.append(String.format(Locale.ROOT, "OpenMP threads: %d on %d cores%s%n", ompThreads, availableProcessors,
                configuredThreads == availableProcessors ? "" : " (" + configuredThreads + " configured)"));
        text.append(String.format(Locale.ROOT, "malloc: %s%s%n", jemalloc.map(path -> "jemalloc " + path).orElse("glibc"),
                mallocConf.isEmpty() ? "" : " (MALLOC_CONF=" + mallocConf + ")"));
        network.ifPresent(modes -> text.append(String.format(Locale.ROOT, "workspaces: training %s, inference %s; cache mode %s%n",
                modes.trainingWorkspaceMode(), modes.inferenceWorkspaceMode(), modes.cacheMode())));
        List<String> deviations = deviationsFromFast();
        text.append(deviations.isEmpty() ? "fast configuration: complete" : "fast configuration: not complete: " + String.join("; ", deviations));
        return text.toString();
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}

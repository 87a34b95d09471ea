package org.yolofleet.model;

import org.apache.spark.SparkConf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The JVM settings that give a process the fast configuration of {@link Nd4jRuntime} from its start: the system
 * properties for {@code -D} options and the environment variables for the launcher (jemalloc can only be preloaded
 * when the process starts). {@link #applyTo(SparkConf)} puts them where Spark passes them to executors and to a
 * cluster-mode driver; each process still calls {@link Nd4jRuntime#applyFastConfiguration()} before building a network
 * (it reads {@value Nd4jRuntime#THREADS_PROPERTY} from these options).
 *
 * <pre>{@code
 * SparkConf conf = FastRuntimeSettings.defaults().applyTo(new SparkConf());
 * // spark.executorEnv.LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
 * // spark.executorEnv.MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1
 * // spark.executorEnv.OMP_NUM_THREADS=4 (with spark.executor.cores=4: every task thread's OpenMP threads)
 * // spark.executor.extraJavaOptions=... -Dorg.eclipse.deeplearning4j.helpers.disable=false -Dyolofleet.nd4j.threads=4
 * }</pre>
 *
 * @param threads OpenMP threads per process; 0 lets each process use its cores (for Spark executors: {@code
 *                spark.executor.cores} when set)
 * @param jemallocLibrary the jemalloc shared library to preload; Debian/Ubuntu's {@code libjemalloc2} package installs
 *                        {@link #DEBIAN_JEMALLOC}, Amazon Linux's {@code jemalloc} package {@link #AMAZON_LINUX_JEMALLOC}
 * @param mallocConf jemalloc's options: decay off keeps freed pages mapped, so the next batch does not page-fault them in
 */
public record FastRuntimeSettings(int threads, String jemallocLibrary, String mallocConf) {
    public static final String DEBIAN_JEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";
    public static final String AMAZON_LINUX_JEMALLOC = "/usr/lib64/libjemalloc.so.2";
    public static final String JEMALLOC_DECAY_OFF = "dirty_decay_ms:-1,muzzy_decay_ms:-1";

    static final String EXECUTOR_JAVA_OPTIONS = "spark.executor.extraJavaOptions";
    static final String DRIVER_JAVA_OPTIONS = "spark.driver.extraJavaOptions";
    static final String EXECUTOR_ENVIRONMENT = "spark.executorEnv.";
    static final String YARN_DRIVER_ENVIRONMENT = "spark.yarn.appMasterEnv.";
    static final String EXECUTOR_CORES = "spark.executor.cores";
    static final String OMP_NUM_THREADS = "OMP_NUM_THREADS";

    public FastRuntimeSettings {
        requireNonNull(jemallocLibrary, "jemallocLibrary");
        requireNonNull(mallocConf, "mallocConf");
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (all cores) or positive, got " + threads);
        }
        if (jemallocLibrary.isBlank() || jemallocLibrary.contains(" ")) {
            throw new IllegalArgumentException("jemalloc library must be one path without spaces, got '" + jemallocLibrary + "'");
        }
    }

    /** All cores, Debian's jemalloc, decay off. */
    public static FastRuntimeSettings defaults() {
        return new FastRuntimeSettings(0, DEBIAN_JEMALLOC, JEMALLOC_DECAY_OFF);
    }

    public FastRuntimeSettings withThreads(int newThreads) {
        return new FastRuntimeSettings(newThreads, jemallocLibrary, mallocConf);
    }

    public FastRuntimeSettings withJemallocLibrary(String newJemallocLibrary) {
        return new FastRuntimeSettings(threads, newJemallocLibrary, mallocConf);
    }

    /** The system properties, in a stable order. */
    public Map<String, String> systemProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(Nd4jRuntime.HELPERS_DISABLE_PROPERTY, "false");
        if (threads > 0) {
            properties.put(Nd4jRuntime.THREADS_PROPERTY, Integer.toString(threads));
        }
        return Collections.unmodifiableMap(properties);
    }

    /** The environment variables the process must start with. */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("LD_PRELOAD", jemallocLibrary);
        environment.put("MALLOC_CONF", mallocConf);
        return Collections.unmodifiableMap(environment);
    }

    /** The system properties as {@code -Dkey=value} options. */
    public List<String> javaOptions() {
        List<String> options = new ArrayList<>();
        systemProperties().forEach((key, value) -> options.add("-D" + key + "=" + value));
        return List.copyOf(options);
    }

    /**
     * Sets the executor environment and Java options (and those of a cluster-mode driver) on the configuration, keeping
     * its other options; returns it. A client-mode driver is already running: it gets the properties from
     * {@link Nd4jRuntime#applyFastConfiguration()} and jemalloc from its launcher's environment ({@link #environment()}).
     */
    public SparkConf applyTo(SparkConf conf) {
        requireNonNull(conf, "conf");
        environment().forEach((name, value) -> {
            conf.set(EXECUTOR_ENVIRONMENT + name, value);
            conf.set(YARN_DRIVER_ENVIRONMENT + name, value);
        });
        FastRuntimeSettings executorSettings = threads == 0 && conf.contains(EXECUTOR_CORES)
                ? withThreads(Integer.parseInt(conf.get(EXECUTOR_CORES).trim()))
                : this;
        if (executorSettings.threads() > 0) {
            // OpenMP's thread count is per thread: Nd4jRuntime sets it in the thread that applies it, and every other
            // thread (Spark's task threads, DL4J's prefetch threads) starts from OMP_NUM_THREADS, else all the cores
            conf.set(EXECUTOR_ENVIRONMENT + OMP_NUM_THREADS, Integer.toString(executorSettings.threads()));
        }
        conf.set(EXECUTOR_JAVA_OPTIONS, mergeJavaOptions(conf.get(EXECUTOR_JAVA_OPTIONS, ""), executorSettings.systemProperties()));
        conf.set(DRIVER_JAVA_OPTIONS, mergeJavaOptions(conf.get(DRIVER_JAVA_OPTIONS, ""), systemProperties()));
        return conf;
    }

    /** The existing options with every {@code -Dkey=} of ours replaced by our value (appended at the end). */
    static String mergeJavaOptions(String existing, Map<String, String> properties) {
        List<String> options = new ArrayList<>();
        for (String option : existing.trim().split("\\s+")) {
            boolean ours = properties.keySet().stream().anyMatch(key -> option.startsWith("-D" + key + "="));
            if (!option.isEmpty() && !ours) {
                options.add(option);
            }
        }
        properties.forEach((key, value) -> options.add("-D" + key + "=" + value));
        return String.join(" ", options);
    }
}

package org.yolofleet.emr.config;

import com.typesafe.config.Config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Spark side of the cluster template, turned into the {@code spark-defaults} and {@code spark-env} classifications:
 * executor sizing, the JVM flags of every driver and executor (Java 17 add-opens, DL4J's time source, JavaCPP off-heap
 * limits) and jemalloc under the executors.
 */
public record SparkSettings(
        String executorMemory,
        String executorMemoryOverhead,
        int executorCores,
        int taskCpus,
        String javacppMaxBytes,
        String javacppMaxPhysicalBytes,
        List<String> javaOptions,
        String jemallocLibrary,
        String mallocConf,
        Map<String, String> extraDefaults) {

    private static final Set<String> KEYS = Set.of("executor-memory", "executor-memory-overhead", "executor-cores", "task-cpus",
            "javacpp-max-bytes", "javacpp-max-physical-bytes", "java-options", "jemalloc-library", "malloc-conf", "extra-defaults");
    private static final String SIZE = "[0-9]+[kmgtKMGT]";

    public SparkSettings {
        javaOptions = List.copyOf(javaOptions);
        extraDefaults = Map.copyOf(extraDefaults);
    }

    /** The JVM options of the driver and of every executor: the configured flags plus the JavaCPP limits. */
    public String extraJavaOptions() {
        return String.join(" ", javaOptions) + " -Dorg.bytedeco.javacpp.maxbytes=" + javacppMaxBytes.toUpperCase()
                + " -Dorg.bytedeco.javacpp.maxphysicalbytes=" + javacppMaxPhysicalBytes.toUpperCase();
    }

    /** The {@code spark-defaults} properties, in a stable order. */
    public Map<String, String> sparkDefaults() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spark.executor.memory", executorMemory);
        properties.put("spark.executor.memoryOverhead", executorMemoryOverhead);
        properties.put("spark.executor.cores", Integer.toString(executorCores));
        properties.put("spark.task.cpus", Integer.toString(taskCpus));
        // OpenMP's thread count is per thread and Spark's task threads start from this: a training task uses the cores
        // it was given (task-cpus), not every core of the node (which oversubscribes with two executors per node)
        properties.put("spark.executorEnv.OMP_NUM_THREADS", Integer.toString(taskCpus));
        properties.put("spark.driver.extraJavaOptions", extraJavaOptions());
        properties.put("spark.executor.extraJavaOptions", extraJavaOptions());
        if (!jemallocLibrary.isEmpty()) {
            properties.put("spark.executorEnv.LD_PRELOAD", jemallocLibrary);
            properties.put("spark.executorEnv.MALLOC_CONF", mallocConf);
            properties.put("spark.yarn.appMasterEnv.LD_PRELOAD", jemallocLibrary);
            properties.put("spark.yarn.appMasterEnv.MALLOC_CONF", mallocConf);
        }
        properties.putAll(new java.util.TreeMap<>(extraDefaults));
        return properties;
    }

    /** The {@code export} properties of {@code spark-env} (the Spark processes on the nodes themselves). */
    public Map<String, String> sparkEnvExports() {
        Map<String, String> exports = new LinkedHashMap<>();
        if (!jemallocLibrary.isEmpty()) {
            exports.put("LD_PRELOAD", jemallocLibrary);
            exports.put("MALLOC_CONF", mallocConf);
        }
        return exports;
    }

    static SparkSettings from(Config config) {
        LauncherConfig.refuseUnknown(config, "cluster.spark.", KEYS);
        for (String key : List.of("executor-memory", "executor-memory-overhead", "javacpp-max-bytes", "javacpp-max-physical-bytes")) {
            String value = config.getString(key);
            if (!value.matches(SIZE)) {
                throw LauncherConfig.invalid("cluster.spark." + key, value, "a size such as 512m or 4g");
            }
        }
        int cores = config.getInt("executor-cores");
        int taskCpus = config.getInt("task-cpus");
        if (cores < 1 || taskCpus < 1 || taskCpus > cores) {
            throw LauncherConfig.invalid("cluster.spark.task-cpus", taskCpus, "1 to executor-cores (" + cores + ")");
        }
        List<String> javaOptions = LauncherConfig.strings(config, "java-options");
        for (String option : javaOptions) {
            if (option.isBlank() || option.contains(" ")) {
                throw LauncherConfig.invalid("cluster.spark.java-options", option, "one JVM flag per list element, without spaces");
            }
        }
        return new SparkSettings(config.getString("executor-memory"), config.getString("executor-memory-overhead"), cores, taskCpus,
                config.getString("javacpp-max-bytes"), config.getString("javacpp-max-physical-bytes"), javaOptions,
                config.getString("jemalloc-library"), config.getString("malloc-conf"), LauncherConfig.strings(config.getConfig("extra-defaults")));
    }
}

package org.yolofleet.train;

import com.typesafe.config.Config;
import org.yolofleet.config.ConfigReader;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory of the training JVMs ({@code yolofleet.train.memory}). DL4J keeps its arrays off the Java heap (JavaCPP),
 * so an executor needs a modest heap, an off-heap ceiling for ND4J ({@code org.bytedeco.javacpp.maxbytes}), a ceiling
 * for the whole process ({@code maxphysicalbytes}: heap + off-heap + native libraries) and, on YARN, a container
 * overhead ({@code spark.executor.memoryOverhead}) that covers everything beyond the heap.
 *
 * <p>{@link #sparkSettings(String)} are the executor settings (they take effect only for executors started afterwards, so the
 * launchers pass them before the session starts); {@link #applyToThisJvm()} sets the JavaCPP limits of the driver,
 * which in local mode is also the executor, before ND4J loads.
 *
 * @param executorHeap      {@code spark.executor.memory}
 * @param offHeap           {@code org.bytedeco.javacpp.maxbytes} of every training JVM
 * @param maxPhysical       {@code org.bytedeco.javacpp.maxphysicalbytes}; at least heap + off-heap
 * @param executorOverhead  {@code spark.executor.memoryOverhead}; at least the off-heap ceiling
 */
public record TrainMemory(long executorHeap, long offHeap, long maxPhysical, long executorOverhead) {
    public static final String MAX_BYTES_PROPERTY = "org.bytedeco.javacpp.maxbytes";
    public static final String MAX_PHYSICAL_BYTES_PROPERTY = "org.bytedeco.javacpp.maxphysicalbytes";
    private static final long MIB = 1L << 20;
    private static final long NATIVE_MARGIN = 1L << 30;

    public TrainMemory {
        if (executorHeap < 256 * MIB || offHeap < 256 * MIB) {
            throw new IllegalArgumentException("executor heap and off-heap must be at least 256 MiB");
        }
        if (maxPhysical < executorHeap + offHeap) {
            throw new IllegalArgumentException("max physical bytes " + maxPhysical + " must cover heap + off-heap " + (executorHeap + offHeap));
        }
        if (executorOverhead < offHeap) {
            throw new IllegalArgumentException("the executor memory overhead " + executorOverhead + " must cover the off-heap ceiling " + offHeap);
        }
    }

    /** Reads {@code yolofleet.train.memory}; empty {@code max-physical} / {@code overhead} derive from heap and off-heap. */
    public static TrainMemory from(Config config) {
        ConfigReader memory = new ConfigReader(config, "yolofleet.train.memory");
        long heap = memory.bytes("executor-heap", 256 * MIB, 1L << 40);
        long offHeap = memory.bytes("off-heap", 256 * MIB, 1L << 40);
        long maxPhysical = memory.string("max-physical").isBlank() ? heap + offHeap + NATIVE_MARGIN
                : memory.bytes("max-physical", heap + offHeap, 1L << 41);
        long overhead = memory.string("executor-overhead").isBlank() ? offHeap + NATIVE_MARGIN
                : memory.bytes("executor-overhead", offHeap, 1L << 40);
        return new TrainMemory(heap, offHeap, maxPhysical, overhead);
    }

    /** The executor settings, with the JavaCPP limits appended to {@code existingExecutorJavaOptions}. */
    public Map<String, String> sparkSettings(String existingExecutorJavaOptions) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spark.executor.memory", mebibytes(executorHeap));
        settings.put("spark.executor.memoryOverhead", mebibytes(executorOverhead));
        String options = existingExecutorJavaOptions == null ? "" : existingExecutorJavaOptions.trim();
        settings.put("spark.executor.extraJavaOptions", (options.isEmpty() ? "" : options + " ") + "-D" + MAX_BYTES_PROPERTY + "=" + offHeap
                + " -D" + MAX_PHYSICAL_BYTES_PROPERTY + "=" + maxPhysical);
        return settings;
    }

    /**
     * Sets the JavaCPP limits of this JVM unless the command line set them; they count only if ND4J has not loaded yet.
     * {@code maxphysicalbytes} is this JVM's heap ceiling plus the off-heap ceiling plus a margin (the driver's heap is
     * the JVM's, not {@link #executorHeap}).
     */
    public void applyToThisJvm() {
        if (System.getProperty(MAX_BYTES_PROPERTY) == null) {
            System.setProperty(MAX_BYTES_PROPERTY, Long.toString(offHeap));
        }
        if (System.getProperty(MAX_PHYSICAL_BYTES_PROPERTY) == null) {
            System.setProperty(MAX_PHYSICAL_BYTES_PROPERTY, Long.toString(Runtime.getRuntime().maxMemory() + offHeap + NATIVE_MARGIN));
        }
    }

    private static String mebibytes(long bytes) {
        return ((bytes + MIB - 1) / MIB) + "m";
    }
}

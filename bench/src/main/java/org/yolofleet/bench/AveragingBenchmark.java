package org.yolofleet.bench;

import org.apache.spark.sql.SparkSession;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.model.Nd4jRuntime;
import org.yolofleet.spark.SparkSessions;
import org.yolofleet.spark.StandaloneCluster;
import org.yolofleet.train.TrainConfig;
import org.yolofleet.train.TrainStage;
import org.yolofleet.train.TrainSummary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parameter averaging across processes: images/s of the {@code train} stage (Tiny-YOLOv2 416 x 416, batch 8 per worker)
 * on a Spark standalone cluster of two 1-core executors, each its own JVM ({@link StandaloneCluster} on loopback), on
 * {@code local[2]} (two workers of one thread in one JVM), and of a plain single-JVM {@code ComputationGraph.fit} loop
 * over the same minibatches with one OpenMP thread (the per-core baseline) and with all cores. Scaling efficiency is
 * a 2-worker rate over twice the per-core baseline. Writes {@code averaging.txt}, whose last line is the per-core rate
 * of the cluster for the EMR launcher's {@code plan} ({@value #PLAN_KEY}). Run with {@code OMP_NUM_THREADS=1} (as
 * {@code bench/run} does): OpenMP's thread count is per thread, so Spark's task threads would otherwise compute with
 * all the cores each.
 *
 * <pre>{@code bench/run averaging [--images 64] [--averaging-frequency 4]}</pre>
 */
public final class AveragingBenchmark {
    /** The key of the machine-readable line that {@code yolofleet-emr plan} reads. */
    static final String PLAN_KEY = "plan.images-per-second-per-core";

    private AveragingBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        Map<String, String> options = BenchmarkSupport.options(arguments,
                "AveragingBenchmark --results DIR [--images N] [--averaging-frequency N]");
        Path results = Path.of(options.getOrDefault("results", "bench/results"));
        int images = Integer.parseInt(options.getOrDefault("images", "64"));
        int averagingFrequency = Integer.parseInt(options.getOrDefault("averaging-frequency", "4"));
        Path work = Files.createTempDirectory("yolofleet-averaging-bench");
        TrainBenchmark.writeShards(work, images, 4);
        int cores = Runtime.getRuntime().availableProcessors();

        Nd4jRuntime.applyFastConfiguration(cores);
        double plainAll = TrainBenchmark.plainFit(work);
        System.out.printf(Locale.ROOT, "plain fit, %d threads: %.2f images/s%n", cores, plainAll);
        // from here on one OpenMP thread per worker, as each 1-core executor has
        System.setProperty(Nd4jRuntime.THREADS_PROPERTY, "1");
        Nd4jRuntime.applyFastConfiguration(1);
        double plainOne = TrainBenchmark.plainFit(work);
        System.out.printf(Locale.ROOT, "plain fit, 1 thread: %.2f images/s%n", plainOne);
        String driverRuntime = Nd4jRuntime.report().isFast() ? "fast" : String.join("; ", Nd4jRuntime.report().deviationsFromFast());

        SparkSession local = SparkSessions.getOrCreate(ConfigLoader.load(Optional.empty(), List.of("spark.master=\"local[2]\"")));
        TrainSummary onLocal;
        try {
            onLocal = train(local, work, "local", averagingFrequency);
        } finally {
            local.stop();
        }
        double localRate = onLocal.last().imagesPerSecond();
        System.out.printf(Locale.ROOT, "local[2]: %.2f images/s%n", localRate);

        TrainSummary onCluster;
        Instant clusterStart = Instant.now();
        try (StandaloneCluster cluster = StandaloneCluster.start(work.resolve("cluster"), 2, "3g")) {
            double startSeconds = BenchmarkSupport.seconds(clusterStart);
            SparkSession spark = cluster.session("yolofleet-averaging-bench", Map.of("spark.executor.memory", "3g"));
            try {
                onCluster = train(spark, work, "cluster", averagingFrequency);
            } finally {
                spark.stop();
            }
            System.out.printf(Locale.ROOT, "standalone cluster: %.2f images/s (cluster started in %.1f s)%n",
                    onCluster.last().imagesPerSecond(), startSeconds);
        }
        double clusterRate = onCluster.last().imagesPerSecond();

        String report = String.format(Locale.ROOT, """
                averaging benchmark: Tiny-YOLOv2 %dx%d, %d classes, batch %d per worker, parameter averaging every %d minibatches,
                %d training images, Adam (generated shards; rates of the second epoch, validation excluded). This %d-core machine
                was shared with other jobs while it ran: the rates are lower and noisier than on an idle machine.
                  plain ComputationGraph.fit, 1 JVM, %d OpenMP threads            %7.2f images/s
                  plain ComputationGraph.fit, 1 JVM, 1 OpenMP thread (per core)  %7.2f images/s
                  train stage, local[2]: 2 workers x 1 thread in 1 JVM          %7.2f images/s   efficiency %.2f
                  train stage, standalone cluster: 2 executor JVMs x 1 core     %7.2f images/s   efficiency %.2f
                  (efficiency = rate / (2 x the per-core rate); cluster per core: %.2f images/s)
                OMP_NUM_THREADS=%s (bench/run sets 1: OpenMP's thread count is per thread, and task threads start from it)
                fast ND4J configuration: driver %s; local[2]: %s; cluster executors: %s
                trained on (cluster): %s
                load average after the run: %s

                # what yolofleet-emr plan reads (the cluster's rate per executor core, averaging overhead included):
                %s = %.2f
                """, TrainBenchmark.SIZE, TrainBenchmark.SIZE, TrainBenchmark.CLASSES.size(), TrainBenchmark.BATCH, averagingFrequency,
                images, cores, cores, plainAll, plainOne, localRate, localRate / (2 * plainOne), clusterRate, clusterRate / (2 * plainOne),
                clusterRate / 2, System.getenv("OMP_NUM_THREADS"), driverRuntime, String.join(" | ", onLocal.executorRuntimes()), String.join(" | ", onCluster.executorRuntimes()),
                String.join(", ", onCluster.trainedOn()), BenchmarkSupport.loadAverage(), PLAN_KEY, clusterRate / 2);
        System.out.print(report);
        Files.createDirectories(results);
        Files.writeString(results.resolve("averaging.txt"), report);
        BenchmarkSupport.deleteTree(work);
    }

    private static TrainSummary train(SparkSession spark, Path work, String name, int averagingFrequency) {
        List<String> settings = new ArrayList<>(List.of(
                "classes=[" + String.join(", ", TrainBenchmark.CLASSES) + "]",
                "model.input-width=" + TrainBenchmark.SIZE, "model.input-height=" + TrainBenchmark.SIZE,
                "train.input=\"" + work.toUri() + "\"",
                "train.output=\"" + work.resolve("run-" + name).toUri() + "\"",
                "train.epochs=2", "train.master.workers=2", "train.master.batch-size-per-worker=" + TrainBenchmark.BATCH,
                "train.master.averaging-frequency=" + averagingFrequency));
        TrainSummary summary = new TrainStage(spark, TrainConfig.from(ConfigLoader.load(Optional.empty(), settings)), Clock.systemUTC()).run();
        System.out.print(summary.text());
        return summary;
    }
}

package org.yolofleet.testing;

import com.typesafe.config.ConfigValueFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.augment.AugmentConfig;
import org.yolofleet.augment.AugmentStage;
import org.yolofleet.augment.ShardManifest;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.dataset.SampleDatasetGenerator;
import org.yolofleet.dataset.SampleManifest;
import org.yolofleet.dataset.SampleOptions;
import org.yolofleet.prepare.PrepareConfig;
import org.yolofleet.prepare.PrepareStage;
import org.yolofleet.spark.HadoopFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prepare and augment on a real Spark standalone cluster (a master and two workers, each its own JVM, executors in
 * further JVMs), prepare reading its input from S3 and augment writing its shards to S3 through s3a: the work runs
 * in the executor processes, the outputs equal a {@code local[2]} run of the same input, and losing a worker in the
 * middle of augment changes nothing in them.
 */
class StandaloneClusterTest {
    private static final String BUCKET = "cluster";
    private static final String INPUT = "s3a://" + BUCKET + "/datasets/site-a";
    /** An unusual partition count, so the listener knows augment's per-record stage by its task count. */
    private static final int AUGMENT_PARTITIONS = 7;

    @TempDir
    static Path directory;
    private static S3ProxyServer server;
    private static SampleManifest sample;

    @BeforeAll
    static void start() throws Exception {
        server = S3ProxyServer.start(directory, List.of(BUCKET));
        Path local = directory.resolve("sample");
        sample = new SampleDatasetGenerator(SampleOptions.defaults(17, 12)).generate(local);
        FileSystem s3 = HadoopFiles.fileSystem(INPUT, hadoop());
        try (Stream<Path> files = Files.walk(local)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                HadoopFiles.write(s3, new org.apache.hadoop.fs.Path(INPUT + "/" + local.relativize(file).toString().replace('\\', '/')),
                        Files.readAllBytes(file));
            }
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Configuration hadoop() {
        Configuration configuration = new Configuration();
        S3ProxyHadoop.apply(server, configuration);
        return configuration;
    }

    @Test
    void preparesAndAugmentsOnTheClusterAsLocallyEvenWhenAWorkerDies() throws Exception {
        // the cluster's JVMs start while the local[2] reference run works (the reference writes to local files: only
        // the cluster run needs to prove S3, and S3Proxy's slow commits would double the test's time)
        CompletableFuture<StandaloneCluster> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return StandaloneCluster.start(directory.resolve("cluster"), 2);
            } catch (IOException | InterruptedException exception) {
                throw new IllegalStateException(exception);
            }
        });
        String reference = directory.resolve("local").toUri().toString().replaceAll("/$", "");
        try {
            SparkSession local = LocalSpark.session();
            S3ProxyHadoop.apply(server, local.sparkContext().hadoopConfiguration());
            local.conf().set("spark.sql.shuffle.partitions", "1"); // 12 images: one output file per table is plenty
            prepare(local, reference);
            augment(local, reference, reference);
            local.stop(); // a JVM holds one Spark context; LocalSpark makes a new one for the next test class
        } catch (RuntimeException | Error failure) {
            starting.thenAccept(StandaloneCluster::close); // no cluster JVMs outlive a failed test
            throw failure;
        }

        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger lostTasks = new AtomicInteger();
        Set<Long> executorPids;
        String remote = "s3a://" + BUCKET + "/cluster";
        // prepare reads S3 on the executors but writes its tables to local files (the executors share this machine):
        // S3Proxy takes 30-50 s to take Spark's Parquet commit, and PrepareOnS3Test already covers that write
        String preparedOnCluster = directory.resolve("cluster-run").toUri().toString().replaceAll("/$", "");
        try (StandaloneCluster cluster = starting.join()) {
            Map<String, String> settings = new TreeMap<>(S3ProxyHadoop.sparkSettings(server));
            settings.put("spark.shuffle.io.maxRetries", "1"); // a dead executor's shuffle files: give up fast, recompute
            settings.put("spark.shuffle.io.retryWait", "200ms");
            settings.put("spark.sql.shuffle.partitions", "1");
            SparkSession spark = cluster.session("yolofleet-cluster-test", settings);
            try {
                Map<String, Long> pidByExecutor = awaitExecutors(spark, 2);
                executorPids = Set.copyOf(pidByExecutor.values());
                // the executors are the workers' children, not the driver
                assertThat(executorPids).hasSize(2).doesNotContain(ProcessHandle.current().pid());
                assertThat(executorPids).containsExactlyInAnyOrderElementsOf(
                        Stream.concat(cluster.executorPids(0).stream(), cluster.executorPids(1).stream()).toList());

                prepare(spark, preparedOnCluster);
                spark.sparkContext().addSparkListener(new WorkerKiller(cluster, pidByExecutor, killed, lostTasks));
                augment(spark, preparedOnCluster, remote);
            } finally {
                spark.stop();
                SparkSession.clearActiveSession();
                SparkSession.clearDefaultSession();
            }
        }
        assertThat(killed).as("a worker was killed during augment").isTrue();
        assertThat(lostTasks.get()).as("tasks lost with the worker, then retried").isPositive();

        SparkSession check = LocalSpark.session();
        S3ProxyHadoop.apply(server, check.sparkContext().hadoopConfiguration());
        assertThat(sortedRows(check, preparedOnCluster)).isEqualTo(sortedRows(check, reference)).hasSize(sample.keptImageIds().size());
        ShardManifest expected = ShardManifest.read(HadoopFiles.fileSystem(reference, hadoop()), reference + "/shards");
        ShardManifest actual = ShardManifest.read(HadoopFiles.fileSystem(remote, hadoop()), remote + "/shards");
        assertThat(actual.shards()).isNotEmpty().isEqualTo(expected.shards());
        assertThat(actual.splits()).isEqualTo(expected.splits());
        assertThat(actual.samples()).isEqualTo(expected.samples()).isGreaterThanOrEqualTo(sample.keptImageIds().size());
        assertThat(actual.quarantineByReason()).isEqualTo(expected.quarantineByReason());
        // the stored objects themselves, byte for byte
        assertThat(storedHashes(server.storage().resolve(BUCKET).resolve("cluster")))
                .isNotEmpty().isEqualTo(storedHashes(directory.resolve("local")));
    }

    private static void prepare(SparkSession spark, String run) {
        List<String> settings = new ArrayList<>();
        settings.add("classes=" + ConfigValueFactory.fromIterable(sample.classes()).render());
        sample.aliases().forEach((alias, name) -> settings.add("aliases." + alias + "=" + name));
        settings.add("prepare.inputs=[\"" + INPUT + "\"]");
        settings.add("prepare.output=\"" + run + "/prepared" + "\"");
        new PrepareStage(spark, PrepareConfig.from(ConfigLoader.load(Optional.empty(), settings)), Clock.systemUTC()).run();
    }

    private static void augment(SparkSession spark, String preparedRun, String run) {
        new AugmentStage(spark, AugmentConfig.from(ConfigLoader.load(Optional.empty(), List.of(
                "model.input-width=96",
                "model.input-height=96",
                "augment.input=\"" + preparedRun + "/prepared" + "\"",
                "augment.output=\"" + run + "/shards" + "\"",
                "augment.copies=2",
                "augment.images-per-shard=5",
                "augment.partitions=" + AUGMENT_PARTITIONS,
                "augment.preview.samples=0"))), Clock.systemUTC()).run();
    }

    /** Executor id -> the process id of its JVM, asked of the executors themselves. */
    private static Map<String, Long> awaitExecutors(SparkSession spark, int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (spark.sparkContext().statusTracker().getExecutorInfos().length < count + 1 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        List<String> answers = new JavaSparkContext(spark.sparkContext())
                .parallelize(IntStream.range(0, 8).boxed().toList(), 8)
                .map(ignored -> SparkEnv.get().executorId() + "=" + ProcessHandle.current().pid())
                .collect();
        return answers.stream().map(answer -> answer.split("="))
                .collect(Collectors.toMap(parts -> parts[0], parts -> Long.parseLong(parts[1]), (a, b) -> a, TreeMap::new));
    }

    private static List<String> sortedRows(SparkSession spark, String run) {
        return spark.read().parquet(run + "/prepared/images").collectAsList().stream()
                .map(StandaloneClusterTest::render).sorted().toList();
    }

    /** A row as text, its binary columns (the image bytes) as their SHA-256. */
    private static String render(Row row) {
        return IntStream.range(0, row.length())
                .mapToObj(index -> row.get(index) instanceof byte[] bytes ? sha256(bytes) : String.valueOf(row.get(index)))
                .collect(Collectors.joining("|"));
    }

    /** Every shard file of a run's output as stored: relative path -> SHA-256. */
    private static Map<String, String> storedHashes(Path run) throws IOException {
        Path root = run.resolve("shards").resolve("shards");
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().endsWith(".crc")).toList()) {
                hashes.put(root.relativize(file).toString(), sha256(Files.readAllBytes(file)));
            }
        }
        return hashes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Kills the worker whose executor starts the first task of augment's per-record stage; counts tasks lost with it. */
    private static final class WorkerKiller extends SparkListener {
        private final StandaloneCluster cluster;
        private final Map<String, Long> pidByExecutor;
        private final AtomicBoolean killed;
        private final AtomicInteger lostTasks;
        private final Set<Integer> perRecordStages = ConcurrentHashMap.newKeySet();

        WorkerKiller(StandaloneCluster cluster, Map<String, Long> pidByExecutor, AtomicBoolean killed, AtomicInteger lostTasks) {
            this.cluster = cluster;
            this.pidByExecutor = pidByExecutor;
            this.killed = killed;
            this.lostTasks = lostTasks;
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
            if (submitted.stageInfo().numTasks() == AUGMENT_PARTITIONS) {
                perRecordStages.add(submitted.stageInfo().stageId());
            }
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart start) {
            if (!perRecordStages.contains(start.stageId()) || killed.get()) {
                return;
            }
            Long pid = pidByExecutor.get(start.taskInfo().executorId());
            for (int worker = 0; worker < 2 && pid != null; worker++) {
                if (cluster.executorPids(worker).contains(pid) && killed.compareAndSet(false, true)) {
                    int victim = worker;
                    new Thread(() -> cluster.killWorker(victim), "kill-worker-" + victim).start();
                }
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.reason() instanceof ExecutorLostFailure) {
                lostTasks.incrementAndGet();
            }
        }
    }
}

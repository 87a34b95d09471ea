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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.augment.AugmentConfig;
import org.yolofleet.augment.AugmentStage;
import org.yolofleet.augment.ShardManifest;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.dataset.SampleDatasetGenerator;
import org.yolofleet.dataset.SampleManifest;
import org.yolofleet.dataset.SampleOptions;
import org.yolofleet.prepare.PrepareConfig;
import org.yolofleet.prepare.PrepareStage;
import org.yolofleet.ml.DetectionColumn;
import org.yolofleet.ml.MlFixtures;
import org.yolofleet.ml.YoloDetector;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.StandaloneCluster;
import org.yolofleet.train.TrainConfig;
import org.yolofleet.train.TrainFixtures;
import org.yolofleet.train.TrainStage;
import org.yolofleet.train.TrainSummary;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stages on a real Spark standalone cluster (a master and two workers, each its own JVM, executors in further
 * JVMs, one cluster and one session for the whole class): train averages parameters across the two executor processes,
 * reading its shards from S3 there, with the fast ND4J configuration reported by both; the {@link YoloDetector}
 * Transformer finds there what the one-JVM detector finds; prepare (reading S3) and augment (writing S3) equal a
 * {@code local[2]} run of the same input, even when a worker dies in the middle of augment. That test kills a worker,
 * so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
    private static final String BUCKET = "cluster";
    private static final String INPUT = "s3a://" + BUCKET + "/datasets/site-a";
    private static final String TRAIN_SHARDS = "s3a://" + BUCKET + "/train-shards";
    /** An unusual partition count, so the listener knows augment's per-record stage by its task count. */
    private static final int AUGMENT_PARTITIONS = 7;
    /** What the summary calls an executor: {@code executor <id> (pid <pid> on <host>)}. */
    private static final Pattern EXECUTOR = Pattern.compile("executor (\\S+) \\(pid (\\d+) on [^)]+\\)");

    @TempDir
    static Path directory;
    private static S3ProxyServer server;
    private static SampleManifest sample;
    private static String reference;
    private static StandaloneCluster cluster;
    private static SparkSession spark;
    private static Map<String, Long> pidByExecutor;
    private static Path model;
    private static Path images;
    private static Map<String, List<Detection>> expectedDetections;

    @BeforeAll
    static void start() throws Exception {
        server = S3ProxyServer.start(directory, List.of(BUCKET));
        // the cluster's JVMs start while the inputs are written and the local[2] reference run works (the reference
        // writes to local files: only the cluster run needs to prove S3, and S3Proxy's slow commits would double the
        // test's time)
        CompletableFuture<StandaloneCluster> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return StandaloneCluster.start(directory.resolve("cluster"), 2);
            } catch (IOException | InterruptedException exception) {
                throw new IllegalStateException(exception);
            }
        });
        try {
            Path local = directory.resolve("sample");
            sample = new SampleDatasetGenerator(SampleOptions.defaults(17, 12)).generate(local);
            upload(local, INPUT);
            Path shards = directory.resolve("train-shards");
            TrainFixtures.writeShards(shards, 16, 4, 8);
            upload(shards, TRAIN_SHARDS);
            model = MlFixtures.onnxModel(Files.createDirectories(directory.resolve("model")));
            images = directory.resolve("images");
            List<Path> files = new ArrayList<>(MlFixtures.plainImages(images));
            files.add(MlFixtures.rotatedJpeg(images));
            expectedDetections = MlFixtures.oneJvmDetections(model, files, MlFixtures.THRESHOLDS);

            reference = directory.resolve("local").toUri().toString().replaceAll("/$", "");
            SparkSession local2 = LocalSpark.session();
            S3ProxyHadoop.apply(server, local2.sparkContext().hadoopConfiguration());
            local2.conf().set("spark.sql.shuffle.partitions", "1"); // 12 images: one output file per table is plenty
            prepare(local2, reference);
            augment(local2, reference, reference);
            local2.stop(); // a JVM holds one Spark context: the cluster's session follows
        } catch (Exception | Error failure) {
            starting.thenAccept(StandaloneCluster::close); // no cluster JVMs outlive a failed test
            throw failure;
        }

        cluster = starting.join();
        Map<String, String> settings = new TreeMap<>(S3ProxyHadoop.sparkSettings(server));
        settings.put("spark.shuffle.io.maxRetries", "1"); // a dead executor's shuffle files: give up fast, recompute
        settings.put("spark.shuffle.io.retryWait", "200ms");
        settings.put("spark.sql.shuffle.partitions", "1");
        settings.put("spark.locality.wait", "0"); // two tasks on two free executors: no waiting for the one that holds the data
        spark = cluster.session("yolofleet-cluster-test", settings);
        pidByExecutor = awaitExecutors(spark, 2);
        // the executors are the workers' children, not the driver
        assertThat(Set.copyOf(pidByExecutor.values())).hasSize(2).doesNotContain(ProcessHandle.current().pid())
                .containsExactlyInAnyOrderElementsOf(Stream.concat(cluster.executorPids(0).stream(), cluster.executorPids(1).stream()).toList());
    }

    private static void upload(Path local, String uri) throws IOException {
        FileSystem s3 = HadoopFiles.fileSystem(uri, hadoop());
        try (Stream<Path> files = Files.walk(local)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                HadoopFiles.write(s3, new org.apache.hadoop.fs.Path(uri + "/" + local.relativize(file).toString().replace('\\', '/')),
                        Files.readAllBytes(file));
            }
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
        }
        if (cluster != null) {
            cluster.close();
        }
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
    @Order(1)
    void trainAveragesParametersAcrossBothExecutorsWhichReadTheShardsFromS3AndRunFastNd4j() {
        TrainConfig config = TrainConfig.from(TrainFixtures.config(TRAIN_SHARDS, directory.resolve("train-run").toUri().toString(),
                Map.of("epochs", 1, "master.workers", 2, "master.batch-size-per-worker", 4, "master.averaging-frequency", 1)));

        TrainSummary summary = new TrainStage(spark, config, Clock.systemUTC()).run();
        System.out.println(summary.text());

        // 16 samples in minibatches of 4, two workers averaging after each: two rounds, each fitted on both executors
        // (a round moves Tiny-YOLOv2's weights and Adam state, ~190 MB, to and from each: the test's time)
        assertThat(summary.epochs()).singleElement().satisfies(epoch -> {
            assertThat(epoch.loss()).isFinite().isPositive();
            assertThat(epoch.imagesPerSecond()).isPositive();
        });
        // the minibatches (byte ranges of the S3 shards) were loaded and fitted in both executor processes, not the driver
        assertThat(summary.trainedOn()).hasSize(2);
        assertThat(pids(summary.trainedOn())).containsExactlyInAnyOrderElementsOf(pidByExecutor.values())
                .doesNotContain(ProcessHandle.current().pid());
        // each executor reports its own ND4J, as a new thread of it sees it: fast (oneDNN build and helpers, one OpenMP
        // thread for its one core from spark.executorEnv.OMP_NUM_THREADS, jemalloc from spark.executorEnv.LD_PRELOAD)
        assertThat(summary.executorRuntimes()).hasSize(2).allSatisfy(line -> assertThat(line).endsWith(": fast"));
        assertThat(pids(summary.executorRuntimes())).containsExactlyInAnyOrderElementsOf(pidByExecutor.values());
        assertThat(summary.text()).contains("on the executors: yes (2 executors)", "trained   on 2 executors: executor ");
        assertThat(spark.sparkContext().getConf().get("spark.executorEnv.LD_PRELOAD")).isEqualTo(System.getenv("LD_PRELOAD"));
        assertThat(spark.sparkContext().getConf().get("spark.executorEnv.OMP_NUM_THREADS")).isEqualTo("1");
        assertThat(directory.resolve("train-run/checkpoints/epoch-001/model.zip")).isNotEmptyFile();
    }

    /** The process ids named in lines that start with {@code executor <id> (pid <pid> on <host>)}. */
    private static List<Long> pids(List<String> lines) {
        return lines.stream().map(line -> {
            Matcher matcher = EXECUTOR.matcher(line);
            assertThat(matcher.lookingAt()).as(line).isTrue();
            return Long.parseLong(matcher.group(2));
        }).toList();
    }

    @Test
    @Order(2)
    void detectorFindsOnTheClusterWhatTheOneJvmDetectorFinds() throws InterruptedException {
        pidByExecutor = awaitExecutors(spark, 2);
        YoloDetector detector = new YoloDetector().setModelUri(model.toString()).setThreshold(MlFixtures.THRESHOLDS.score())
                .setNms(MlFixtures.THRESHOLDS.nonMaxSuppressionIou()).setBatchSize(2);
        Set<String> executors = ConcurrentHashMap.newKeySet();
        SparkListener tasks = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                executors.add(end.taskInfo().executorId());
            }
        };
        spark.sparkContext().addSparkListener(tasks);
        try {
            Dataset<Row> files = spark.read().format("binaryFile").load(images.toString()).repartition(2);
            Map<String, List<Detection>> fromFiles = byFileName(detector.setInputCol("content").transform(files)
                    .select("path", "detections").collectAsList());
            Map<String, List<Detection>> fromImageSource = byFileName(detector.setInputCol("image")
                    .transform(spark.read().format("image").load(images.toString()).repartition(2))
                    .select(col("image.origin"), col("detections")).collectAsList());

            assertThat(fromFiles).isEqualTo(expectedDetections);
            Map<String, List<Detection>> upright = new LinkedHashMap<>(expectedDetections);
            upright.remove("f-exif6.jpg"); // Spark's image source does not turn by EXIF: a different image
            fromImageSource.remove("f-exif6.jpg");
            assertThat(fromImageSource).isEqualTo(upright);
            assertThat(expectedDetections.values().stream().mapToInt(List::size).sum()).as("the random model finds something").isPositive();
        } finally {
            spark.sparkContext().removeSparkListener(tasks);
        }
        assertThat(executors).as("the tasks ran in the executor JVMs").isNotEmpty().isSubsetOf(pidByExecutor.keySet());
    }

    /** Each row's detections by the file name of its first column (a path or an image origin); null stays null. */
    private static Map<String, List<Detection>> byFileName(List<Row> rows) {
        Map<String, List<Detection>> found = new LinkedHashMap<>();
        for (Row row : rows) {
            List<Row> detections = row.isNullAt(1) ? null : row.getList(1);
            found.put(MlFixtures.fileName(row.getString(0)), detections == null ? null : detections.stream().map(DetectionColumn::detection).toList());
        }
        return found;
    }

    @Test
    @Order(3)
    void preparesAndAugmentsOnTheClusterAsLocallyEvenWhenAWorkerDies() throws Exception {
        pidByExecutor = awaitExecutors(spark, 2);
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger lostTasks = new AtomicInteger();
        String remote = "s3a://" + BUCKET + "/cluster";
        // prepare reads S3 on the executors but writes its tables to local files (the executors share this machine):
        // S3Proxy takes 30-50 s to take Spark's Parquet commit, and PrepareOnS3Test already covers that write
        String preparedOnCluster = directory.resolve("cluster-run").toUri().toString().replaceAll("/$", "");
        prepare(spark, preparedOnCluster);
        WorkerKiller killer = new WorkerKiller(cluster, pidByExecutor, killed, lostTasks);
        spark.sparkContext().addSparkListener(killer);
        try {
            augment(spark, preparedOnCluster, remote);
        } finally {
            spark.sparkContext().removeSparkListener(killer);
        }
        assertThat(killed).as("a worker was killed during augment").isTrue();
        assertThat(lostTasks.get()).as("tasks lost with the worker, then retried").isPositive();

        // read by the worker that is left
        assertThat(sortedRows(spark, preparedOnCluster)).isEqualTo(sortedRows(spark, reference)).hasSize(sample.keptImageIds().size());
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

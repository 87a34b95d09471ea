package org.yolofleet.jobs;

import com.typesafe.config.ConfigValueFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.augment.ShardManifest;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.dataset.SampleDatasetGenerator;
import org.yolofleet.dataset.SampleManifest;
import org.yolofleet.dataset.SampleOptions;
import org.yolofleet.emr.cluster.NightlyJobFlow;
import org.yolofleet.emr.config.LauncherConfig;
import org.yolofleet.publish.store.ReleaseStore;
import org.yolofleet.publish.store.ReleaseStores;
import org.yolofleet.publish.store.StoreReleaseReader;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.StandaloneCluster;
import org.yolofleet.stage.DatasetSchema;
import org.yolofleet.testing.S3ProxyHadoop;
import org.yolofleet.testing.S3ProxyServer;
import org.yolofleet.train.CompletedRun;
import org.yolofleet.train.RunLayout;
import software.amazon.awssdk.services.emr.model.RunJobFlowRequest;
import software.amazon.awssdk.services.emr.model.StepConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entry point EMR really runs: each of the four steps {@code yolofleet-emr run} puts into its RunJobFlow request
 * (built here by the launcher's own {@link NightlyJobFlow}, from {@code emr/conf/emr-launcher.conf}) is handed to
 * {@code org.apache.spark.deploy.SparkSubmit} — the class {@code spark-submit} runs — in a JVM of its own, against a
 * loopback S3 server (S3Proxy) holding the night's raw data and the deployed jar and jobs configuration. prepare,
 * augment, train (96 px, one epoch, 12 images) and publish run in turn with the one run id; each must exit 0 and leave its
 * output in the bucket, and the release must verify and be on the channel.
 *
 * <p>What a step's argument list gets, and why. The list is the request's, with its leading {@code spark-submit} (the
 * program {@code command-runner.jar} starts) dropped, and exactly one change: {@code --deploy-mode cluster} becomes
 * {@code client}, because there is no YARN here and Spark refuses cluster mode on a local master. Everything else —
 * {@code --name}, {@code --files s3://.../emr.conf}, {@code --class}, the jar's {@code s3://} URI, the verb, {@code --conf
 * emr.conf} and the verb's own arguments with the run id — is passed as built. What EMR's nodes provide, the test
 * provides around the arguments, not in them:
 * <ul>
 *   <li>the bucket: the launcher configuration's {@code bucket} is the S3Proxy bucket, and the jar and jobs
 *   configuration are uploaded where {@code deploy} puts them, so every {@code s3://} URI in the steps is real;</li>
 *   <li>{@code spark-defaults.conf} (in {@code SPARK_CONF_DIR}, which spark-submit reads as it reads
 *   {@code /etc/spark/conf} on EMR): {@code spark.master=local[2]} where EMR has {@code yarn}, and {@code s3://} bound
 *   to S3A on S3Proxy where EMR binds it to EMRFS, two shuffle partitions and the v2 output committer (S3Proxy takes
 *   every rename of a commit slowly; EMR's own committer renames nothing). The cluster template's own spark-defaults
 *   (executor sizing, YARN environment) are for YARN executors and are not applied;</li>
 *   <li>the driver's working directory holds the deployed {@code emr.conf}, as YARN puts {@code --files} into the
 *   driver container's directory in cluster mode (in client mode Spark only adds it to {@code SparkFiles});</li>
 *   <li>the signing key in the bucket's {@code keys} prefix, where {@code conf/emr.conf} has publish read it (through
 *   {@code s3://}, as on EMR: no key in any environment).</li>
 * </ul>
 *
 * <p>The jar. The uber-jar is built only with {@code -Puber-jar} (several hundred MB of DL4J, ND4J, TensorFlow and ONNX
 * Runtime jars to shade), and in {@code verify} the jobs module tests before it packages. So the
 * deployed {@code yolofleet.jar} is this module's own classes, jarred by the test; what the uber-jar adds to them (the
 * pipelines, DL4J, ...) and what EMR provides (Spark, Hadoop) come from the child's class path, which is the test class
 * path without this module's classes: {@code org.yolofleet.jobs.YoloFleet} can only be found in the jar SparkSubmit
 * downloads from S3 and loads.
 */
class NightlyStepsSparkSubmitTest {
    private static final String BUCKET = "yolofleet-night";
    private static final String DEPLOY_VERSION = "0.1.0-test";
    private static final String RUN_ID = "20261207T020000Z";
    private static final Path LAUNCHER_CONF = Path.of("..", "emr", "conf", "emr-launcher.conf");
    private static final Path JOBS_EMR_CONF = Path.of("..", "conf", "emr.conf");

    @TempDir
    static Path directory;
    private static S3ProxyServer server;

    @BeforeAll
    static void start() throws Exception {
        server = S3ProxyServer.start(directory, List.of(BUCKET));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theFourStepsOfANightRunThroughSparkSubmitAndPublishAVerifiedRelease() throws Exception {
        SampleManifest sample = new SampleDatasetGenerator(SampleOptions.defaults(23, 12)).generate(directory.resolve("sample"));
        // a val split of 3 of the 12 images, named (a 12-image hash split can come out empty, and train needs val images)
        List<String> ids = sample.keptImageIds().stream().sorted().toList();
        Path imageSets = directory.resolve("sample").resolve(SampleDatasetGenerator.IMAGE_SETS);
        Files.write(imageSets.resolve("val.txt"), ids.subList(0, 3));
        Files.write(imageSets.resolve("train.txt"), ids.subList(3, ids.size()));
        Path jobsConfig = directory.resolve("jobs-emr.conf");
        LauncherConfig launcher = LauncherConfig.load(LAUNCHER_CONF, List.of("bucket=" + BUCKET, "version=" + DEPLOY_VERSION,
                "deploy.jobs-config=" + jobsConfig.toAbsolutePath()));
        String raw = "s3://" + BUCKET + "/" + launcher.prefix("raw") + "/site-a/voc";
        // where emr.conf's publish.signing.private-key points: the launcher's keys prefix, read by publish through s3://
        String signingKey = "s3://" + BUCKET + "/" + launcher.prefix("keys") + "/signing.pem";
        writeJobsConfig(sample, raw, jobsConfig, signingKey, launcher.releaseStoreUri());
        Configuration hadoop = hadoop();
        FileSystem s3 = HadoopFiles.fileSystem("s3a://" + BUCKET + "/", hadoop);
        // the night's data where emr.conf's prepare.inputs name it, and what `deploy` uploads
        upload(s3, directory.resolve("sample"), "s3a" + raw.substring("s3".length()));
        String deploy = "s3a" + launcher.deployUri(DEPLOY_VERSION).substring("s3".length());
        HadoopFiles.write(s3, new org.apache.hadoop.fs.Path(deploy + "/" + NightlyJobFlow.JAR), Files.readAllBytes(jobsJar()));
        HadoopFiles.write(s3, new org.apache.hadoop.fs.Path(deploy + "/" + NightlyJobFlow.JOBS_CONFIG), Files.readAllBytes(jobsConfig));

        RunJobFlowRequest request = NightlyJobFlow.request(launcher, DEPLOY_VERSION, RUN_ID);
        assertThat(request.steps()).extracting(StepConfig::name)
                .containsExactly(NightlyJobFlow.VERBS.stream().map(verb -> "yolofleet " + verb + " " + RUN_ID).toArray(String[]::new));

        KeyPair keys = SigningKeys.generate();
        SigningKeys.write(keys, directory.resolve("signing.pem"), directory.resolve("signing.pub.pem"));
        HadoopFiles.write(s3, new org.apache.hadoop.fs.Path("s3a" + signingKey.substring("s3".length())), Files.readAllBytes(directory.resolve("signing.pem")));
        Path sparkConf = writeSparkDefaults();
        Path driver = Files.createDirectories(directory.resolve("driver"));
        // YARN's localisation of --files: the deployed jobs configuration, read back from the bucket
        Files.write(driver.resolve(NightlyJobFlow.JOBS_CONFIG), HadoopFiles.readIfExists(s3,
                new org.apache.hadoop.fs.Path(deploy + "/" + NightlyJobFlow.JOBS_CONFIG)).orElseThrow());

        String prefix = "s3a://" + BUCKET + "/";
        String prepared = prefix + launcher.prefix("prepared") + "/" + RUN_ID;
        String shards = prefix + launcher.prefix("shards") + "/" + RUN_ID;
        String runs = prefix + launcher.prefix("runs");
        for (StepConfig step : request.steps()) {
            List<String> arguments = submitArguments(step.hadoopJarStep().args());
            String verb = arguments.get(arguments.indexOf(NightlyJobFlow.MAIN_CLASS) + 2);
            runSparkSubmit(verb, arguments, sparkConf, driver);
            switch (verb) {
                case "prepare" -> assertThat(exists(s3, prepared + "/" + DatasetSchema.MANIFEST)).as(prepared).isTrue();
                case "augment" -> assertThat(ShardManifest.read(s3, shards).samples()).isPositive();
                case "train" -> {
                    CompletedRun run = CompletedRun.read(s3, new org.apache.hadoop.fs.Path(runs + "/" + RunLayout.LATEST)).orElseThrow();
                    assertThat(run.runId()).isEqualTo(RUN_ID);
                    assertThat(run.epochs()).isEqualTo(1);
                    assertThat(run.input()).endsWith(launcher.prefix("shards") + "/" + RUN_ID);
                    assertThat(exists(s3, runs + "/" + RUN_ID + "/" + RunLayout.RUN_RECORD)).isTrue();
                }
                case "publish" -> {
                    // the store the step named, read back through the S3 protocol and verified as a device verifies it
                    String store = "s3a" + launcher.releaseStoreUri().substring("s3".length());
                    try (ReleaseStore releases = ReleaseStores.open(URI.create(store), hadoop)) {
                        VerifiedRelease served = new ReleaseVerifier(TrustedKeys.of(List.of(keys.getPublic())))
                                .verifyChannel(new StoreReleaseReader(releases), "tiny-yolo", "nightly");
                        assertThat(served.manifest().version()).as("publish's default version: the run id").isEqualTo(RUN_ID);
                        assertThat(served.manifest().trainingRunId()).isEqualTo(RUN_ID);
                    }
                    assertThat(exists(s3, prefix + launcher.prefix("releases") + "/tiny-yolo/" + RUN_ID + "/manifest.json")).isTrue();
                    assertThat(exists(s3, prefix + launcher.prefix("channels") + "/tiny-yolo/nightly.json")).isTrue();
                }
                default -> throw new AssertionError("a step the test does not know: " + verb);
            }
        }
    }

    /**
     * The arguments SparkSubmit gets for one step: the step's own, without the {@code spark-submit} program name, and
     * {@code --deploy-mode cluster} as {@code client} (no YARN here). Nothing else changes.
     */
    private static List<String> submitArguments(List<String> stepArguments) {
        assertThat(stepArguments.get(0)).isEqualTo("spark-submit");
        List<String> arguments = new ArrayList<>(stepArguments.subList(1, stepArguments.size()));
        int deployMode = arguments.indexOf("--deploy-mode");
        assertThat(arguments.get(deployMode + 1)).isEqualTo("cluster");
        arguments.set(deployMode + 1, "client");
        // the master is the cluster's (spark-defaults), never the step's
        assertThat(arguments).doesNotContain("--master");
        assertThat(arguments).as("the run id in every step").anyMatch(argument -> argument.contains(RUN_ID));
        return arguments;
    }

    private static void runSparkSubmit(String verb, List<String> arguments, Path sparkConf, Path driver) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(StandaloneCluster.opensFlags());
        command.addAll(List.of("-Xmx3g", "-Djava.awt.headless=true", "-Dlog4j2.configurationFile="
                + Path.of("..", "conf", "log4j2.properties").toAbsolutePath().normalize(), "-cp", sparkClassPath(),
                "org.apache.spark.deploy.SparkSubmit"));
        command.addAll(arguments);
        // kept after the run (the temporary directory is not): each stage logs where its time went
        Path log = Files.createDirectories(Path.of("target", "nightly-steps")).resolve(verb + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(driver.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_CONF_DIR", sparkConf.toString());
        builder.environment().remove("SPARK_HOME");
        builder.environment().remove("YOLOFLEET_SIGNING_KEY");
        long started = System.nanoTime();
        Process process = builder.start();
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                throw new AssertionError("spark-submit " + verb + " did not finish in 5 minutes:\n" + Files.readString(log));
            }
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("spark-submit %s exited %d:%n%s", verb, process.exitValue(), Files.readString(log)).isZero();
        System.out.printf("spark-submit %s: exit 0 in %.1f s%n", verb, (System.nanoTime() - started) / 1e9);
    }

    /** The test class path without this module's classes: Spark, Hadoop and the uber-jar's dependencies. */
    private static String sparkClassPath() throws Exception {
        Path classes = Path.of(YoloFleet.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().normalize();
        Path testClasses = Path.of(NightlyStepsSparkSubmitTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toAbsolutePath().normalize();
        List<String> entries = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .filter(entry -> {
                    Path path = Path.of(entry).toAbsolutePath().normalize();
                    return !path.equals(classes) && !path.equals(testClasses);
                })
                .toList();
        assertThat(entries).as("the child's class path").isNotEmpty().noneMatch(entry -> entry.endsWith("yolofleet-jobs.jar"));
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** This module's classes as the deployed jar (its jar when it was packaged, else a jar of target/classes). */
    private static Path jobsJar() throws Exception {
        Path classes = Path.of(YoloFleet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(classes)) {
            return classes;
        }
        Path jar = directory.resolve(NightlyJobFlow.JAR);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, YoloFleet.class.getName());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /**
     * The jobs configuration deployed with the jar: the repository's {@code conf/emr.conf} (included, so a key it gets
     * wrong fails here) at a test's size, with its dataset in the test bucket.
     */
    private static void writeJobsConfig(SampleManifest sample, String input, Path file, String signingKey, String releaseStore)
            throws IOException {
        String aliases = sample.aliases().entrySet().stream()
                .map(alias -> ConfigValueFactory.fromAnyRef(alias.getKey()).render() + " = " + ConfigValueFactory.fromAnyRef(alias.getValue()).render())
                .collect(Collectors.joining(", "));
        String text = "include file(" + ConfigValueFactory.fromAnyRef(JOBS_EMR_CONF.toAbsolutePath().normalize().toString()).render() + ")\n"
                + "yolofleet {\n"
                + "  classes = " + ConfigValueFactory.fromIterable(sample.classes()).render() + "\n"
                + "  aliases = null\n"
                + "  aliases { " + aliases + " }\n"
                + "  model { input-width = 96, input-height = 96 }\n"
                + "  prepare { inputs = [" + ConfigValueFactory.fromAnyRef(input).render() + "], split { mode = imagesets, train-list = train, val-list = val } }\n"
                + "  augment { copies = 1, preview.samples = 0 }\n"
                + "  train {\n"
                + "    epochs = 1\n"
                + "    master { workers = 2, batch-size-per-worker = 2, averaging-frequency = 2 }\n"
                + "    memory { executor-heap = 1g, off-heap = 2g }\n"
                + "  }\n"
                + "  publish.faithfulness.images = 2\n"
                + "  publish.signing.private-key = " + ConfigValueFactory.fromAnyRef(signingKey).render() + "\n"
                // as a user edits emr.conf's bucket: the store train's released mode reads (publish gets --store too)
                + "  publish.store.uri = " + ConfigValueFactory.fromAnyRef(releaseStore).render() + "\n"
                + "}\n";
        Files.writeString(file, text);
    }

    /** What the cluster's /etc/spark/conf holds, for this machine: the local master and s3:// on S3Proxy. */
    private static Path writeSparkDefaults() throws IOException {
        Map<String, String> defaults = new TreeMap<>(S3ProxyHadoop.sparkSettings(server));
        defaults.put("spark.master", "local[2]");
        defaults.put("spark.hadoop.fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
        defaults.put("spark.driver.host", "127.0.0.1");
        defaults.put("spark.driver.bindAddress", "127.0.0.1");
        defaults.put("spark.ui.enabled", "false");
        // 12 images: a few output files per table. S3Proxy takes each file's commit (a copy and a delete per rename)
        // slowly, and EMR's own committer renames nothing; the v2 committer renames once instead of twice
        defaults.put("spark.sql.shuffle.partitions", "2");
        defaults.put("spark.hadoop.mapreduce.fileoutputcommitter.algorithm.version", "2");
        Path conf = Files.createDirectories(directory.resolve("spark-conf"));
        try (OutputStream out = Files.newOutputStream(conf.resolve("spark-defaults.conf"))) {
            for (Map.Entry<String, String> entry : defaults.entrySet()) {
                out.write((entry.getKey() + " " + entry.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return conf;
    }

    private static Configuration hadoop() {
        Configuration configuration = new Configuration();
        S3ProxyHadoop.apply(server, configuration);
        return configuration;
    }

    private static boolean exists(FileSystem s3, String uri) {
        return HadoopFiles.exists(s3, new org.apache.hadoop.fs.Path(uri));
    }

    /** File by file (S3A 3.3.4's directory copy can deadlock on its bounded upload pool). */
    private static void upload(FileSystem s3, Path local, String target) throws IOException {
        try (Stream<Path> files = Files.walk(local)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                HadoopFiles.write(s3, new org.apache.hadoop.fs.Path(target + "/" + local.relativize(file).toString().replace('\\', '/')),
                        Files.readAllBytes(file));
            }
        }
    }
}

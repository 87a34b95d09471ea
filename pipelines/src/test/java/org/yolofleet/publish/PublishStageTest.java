package org.yolofleet.publish;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.ChannelPointer;
import org.yolofleet.core.release.Ed25519Pem;
import org.yolofleet.core.release.FileReleaseReader;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.ReleaseMetrics;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.Sha256;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.device.config.DeviceConfig;
import org.yolofleet.device.config.DeviceConfigLoader;
import org.yolofleet.device.install.FreeSpace;
import org.yolofleet.device.source.Backoff;
import org.yolofleet.device.source.S3ReleaseSource;
import org.yolofleet.device.sync.EventLog;
import org.yolofleet.device.sync.Sync;
import org.yolofleet.device.sync.SyncOutcome;
import org.yolofleet.model.ModelCheckpoint;
import org.yolofleet.model.TinyYoloGraphBuilder;
import org.yolofleet.publish.compile.SearchPath;
import org.yolofleet.publish.report.DetectionGrid;
import org.yolofleet.publish.report.ModelCard;
import org.yolofleet.publish.store.ReleaseStore;
import org.yolofleet.publish.store.ReleaseStoreOptions;
import org.yolofleet.publish.store.ReleaseStores;
import org.yolofleet.publish.store.StoreReleaseReader;
import org.yolofleet.testing.LocalSpark;
import org.yolofleet.testing.S3ProxyHadoop;
import org.yolofleet.testing.S3ProxyServer;
import org.yolofleet.train.CompletedRun;
import org.yolofleet.train.TrainConfig;
import org.yolofleet.train.TrainFixtures;
import org.yolofleet.train.TrainStage;
import org.yolofleet.train.TrainSummary;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The publish stage end to end on a run trained here (TrainStage, one epoch on the 96 px fixture), into a release store
 * on the local disk: exports checked by ONNX Runtime, TensorFlow and DL4J, the manifest signed and verified as a device
 * would, the channel moved last; the regression gate refusing a worse model and --force overriding it.
 */
class PublishStageTest {
    @TempDir
    static Path root;
    private static Path runs;
    private static TrainSummary trained;
    private static KeyPair keys;

    @BeforeAll
    static void trainARun() throws IOException {
        Path shards = root.resolve("shards");
        TrainFixtures.writeShards(shards, 64, 16, 32);
        runs = root.resolve("runs");
        TrainConfig train = TrainConfig.from(TrainFixtures.config(shards.toUri().toString(), "", Map.of("runs-root", runs.toUri().toString(),
                "run-id", "night-1", "epochs", 1, "master.workers", 2, "master.averaging-frequency", 2, "optimizer.burn-in", 4)));
        trained = new TrainStage(LocalSpark.session(), train, Clock.systemUTC()).run();
        System.out.println("fixture run: best epoch " + trained.best().epoch() + ", val mAP@0.5 " + trained.best().mapArea());
        keys = SigningKeys.generate();
    }

    private static Config config(Path store, Map<String, Object> publish) {
        Config config = TrainFixtures.config("", "", Map.of("runs-root", runs.toUri().toString()))
                .withValue("yolofleet.publish.store.uri", ConfigValueFactory.fromAnyRef(store.toString()));
        for (Map.Entry<String, Object> setting : publish.entrySet()) {
            config = config.withValue("yolofleet.publish." + setting.getKey(), ConfigValueFactory.fromAnyRef(setting.getValue()));
        }
        return config;
    }

    private static PublishSummary publish(Config config) {
        return publish(config, LocalSpark.session().sparkContext().hadoopConfiguration());
    }

    private static PublishSummary publish(Config config, Configuration hadoop) {
        // an empty PATH: no vendor compiler is installed here, and the manifest must say so
        return new PublishStage(PublishConfig.from(config), ReleaseStoreOptions.from(config), hadoop, keys.getPrivate(), Clock.systemUTC(),
                SearchPath.parse("")).run();
    }

    private static VerifiedRelease verify(Path store, String version) {
        return new ReleaseVerifier(TrustedKeys.of(List.of(keys.getPublic()))).verify(new FileReleaseReader(store), "tiny-yolo", version);
    }

    private static ChannelPointer channel(Path store, String channel) throws IOException {
        return ChannelPointer.fromJson(Files.readAllBytes(store.resolve(ReleaseLayout.channelPointer("tiny-yolo", channel))));
    }

    @Test
    void theLatestRunIsPublishedAsASignedReleaseThatVerifiesAndTheChannelPointsAtIt(@TempDir Path store) throws IOException {
        PublishSummary summary = publish(config(store, Map.of()));
        System.out.println(summary.text());

        ReleaseManifest manifest = verify(store, "night-1").manifest();
        assertThat(manifest).isEqualTo(summary.manifest());
        assertThat(manifest.sequence()).isEqualTo(1);
        assertThat(manifest.trainingRunId()).isEqualTo("night-1");
        assertThat(manifest.parentVersion()).isEmpty();
        assertThat(manifest.forced()).isFalse();
        assertThat(manifest.classes()).isEqualTo(TrainFixtures.CLASSES);
        assertThat(manifest.artifacts()).extracting(artifact -> artifact.format()).contains(ArtifactFormat.ONNX_FP32, ArtifactFormat.ONNX_FP16,
                ArtifactFormat.TF_FROZEN_GRAPH, ArtifactFormat.DARKNET_CFG, ArtifactFormat.DARKNET_WEIGHTS, ArtifactFormat.DECODE_SPEC);
        // no compiler on the PATH: the release says what it lacks and why, and holds no stand-in for it
        assertThat(manifest.missingArtifacts()).extracting(missing -> missing.format())
                .contains(ArtifactFormat.NCS_GRAPH, ArtifactFormat.MYRIAD_BLOB);
        assertThat(manifest.missingArtifacts()).extracting(missing -> missing.reason()).containsExactlyInAnyOrder(
                "ncsdk: mvNCCompile not found on PATH", "openvino-myriad: compile_tool not found on PATH",
                "oak: disabled (yolofleet.publish.compilers.oak.enabled = false)");
        assertThat(manifest.artifacts()).noneMatch(artifact -> artifact.format() == ArtifactFormat.NCS_GRAPH
                || artifact.format() == ArtifactFormat.MYRIAD_BLOB);

        // every FP32 export computes what the checkpoint computes, in the runtime that reads it
        assertThat(summary.faithfulness().parity()).extracting(ParityResult::format)
                .containsExactly(ModelExports.ONNX_FP32, ModelExports.TF_GRAPH, ModelExports.DARKNET_WEIGHTS);
        assertThat(summary.faithfulness().parity()).allSatisfy(result -> {
            assertThat(result.passed()).isTrue();
            assertThat(result.worstError()).isLessThan(1e-4);
        });
        // the release's metrics are the training run's validation of the same checkpoint, scored through the ONNX export
        assertThat(manifest.metrics().meanAveragePrecisionArea()).isCloseTo(trained.best().mapArea(), within(0.01));
        assertThat(manifest.metrics().fp16MeanAveragePrecisionArea().getAsDouble())
                .isCloseTo(manifest.metrics().meanAveragePrecisionArea(), within(0.005));

        ChannelPointer pointer = channel(store, "nightly");
        assertThat(pointer.version()).isEqualTo("night-1");
        assertThat(pointer.sequence()).isEqualTo(1);
        assertThat(new ReleaseVerifier(TrustedKeys.of(List.of(keys.getPublic()))).verifyChannel(new FileReleaseReader(store), "tiny-yolo",
                "nightly").manifest()).isEqualTo(manifest);
        try (var files = Files.list(store.resolve("releases/tiny-yolo"))) {
            assertThat(files.map(file -> file.getFileName().toString())).as("no staging prefix left").containsExactly("night-1");
        }

        // the model card: in the release, listed and hashed as a document no device loads, naming every class, with the
        // val images the ONNX export detected on
        ArtifactEntry card = manifest.artifact(ModelCard.FILE).orElseThrow();
        assertThat(card.format()).isEqualTo(ArtifactFormat.MODEL_CARD);
        assertThat(card.target()).isEmpty();
        Path report = store.resolve(ReleaseLayout.artifact("tiny-yolo", "night-1", ModelCard.FILE));
        try (var input = Files.newInputStream(report)) {
            assertThat(Sha256.of(input).hex()).isEqualTo(card.sha256());
        }
        String html = Files.readString(report);
        assertThat(html).contains(TrainFixtures.CLASSES.stream().map(name -> "<td>" + name + "</td>").toArray(String[]::new));
        assertThat(html.split("src=\"data:image/png;base64,", -1)).hasSize(DetectionGrid.IMAGES + 1);
        assertThat(html.split("<svg class=\"pr\"", -1)).hasSize(TrainFixtures.CLASSES.size() + 1);
        assertThat(html).contains("night-1", ModelExports.ONNX_FP32, "mvNCCompile not found on PATH");
        assertThat(card.size()).isLessThan(1_500_000);
        assertThat(summary.text()).contains("model card: " + store + "/" + ReleaseLayout.artifact("tiny-yolo", "night-1", ModelCard.FILE));
        System.out.println("model card: " + card.size() + " bytes");

        // a version is immutable once signed
        assertThatThrownBy(() -> publish(config(store, Map.of())))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.OUTPUT_EXISTS));

        // an edited model card is caught like any edited artifact
        Files.writeString(report, html.replace("night-1", "night-0"));
        assertThatThrownBy(() -> verify(store, "night-1"))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.RELEASE_TAMPERED));
    }

    @Test
    void aWorseModelIsRefusedByTheRegressionGateWithNothingPublishedAndForcePublishesItRecorded(@TempDir Path store, @TempDir Path work)
            throws IOException {
        // measured: the fixture run's one epoch scores val mAP@0.5 0.0034, an untrained network exactly 0; a gate that
        // allows no drop must refuse the second
        assertThat(trained.best().mapArea()).isPositive();
        publish(config(store, Map.of()));
        // an untrained network of the same classes
        ModelCheckpoint.Contents best = ModelCheckpoint.read(Path.of(java.net.URI.create(CompletedRun.read(
                org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(runs.resolve("latest.json").toUri()))
                .orElseThrow().bestCheckpoint())));
        Path untrained = work.resolve("untrained.zip");
        ModelCheckpoint.write(TinyYoloGraphBuilder.forSpec(best.spec()).build(), best.spec(), best.classNames(), untrained, false);
        Map<String, Object> worse = Map.of("checkpoint", untrained.toUri().toString(), "version", "untrained", "gate.max-map-drop", 0);

        assertThatThrownBy(() -> publish(config(store, worse)))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.MAP_REGRESSION))
                .hasMessageContaining("release night-1")
                .hasMessageContaining("red");
        assertThat(store.resolve("releases/tiny-yolo/untrained")).doesNotExist();
        assertThat(channel(store, "nightly").version()).isEqualTo("night-1");

        Map<String, Object> forced = new java.util.HashMap<>(worse);
        forced.put("force", true);
        PublishSummary summary = publish(config(store, forced));
        ReleaseManifest manifest = verify(store, "untrained").manifest();
        assertThat(manifest.forced()).isTrue();
        assertThat(manifest.sequence()).isEqualTo(2);
        assertThat(manifest.parentVersion()).contains("night-1");
        assertThat(summary.gate().passed()).isFalse();
        ChannelPointer pointer = channel(store, "nightly");
        assertThat(pointer.version()).isEqualTo("untrained");
        assertThat(pointer.previousVersion()).contains("night-1");
    }

    @Test
    void withASparkSessionAboveTheDistributedSizeTheGatesScoreOnTheExecutorsToTheSameMap(@TempDir Path store) throws Exception {
        // the first release scored on the driver (no session); the same checkpoint again with train.validation.distributed-above
        // = 0: its own val mAP and the regression gate's re-scoring of the first release are computed by Spark jobs, and are
        // the driver's numbers to 1e-9
        PublishSummary first = publish(config(store, Map.of()));
        Config again = config(store, Map.of("version", "night-1-again"))
                .withValue("yolofleet.train.validation.distributed-above", ConfigValueFactory.fromAnyRef(0));
        SparkSession spark = LocalSpark.session();
        JobCounter jobs = new JobCounter();
        spark.sparkContext().addSparkListener(jobs);
        PublishSummary second;
        try {
            second = new PublishStage(PublishConfig.from(again), ReleaseStoreOptions.from(again), spark, keys.getPrivate(), Clock.systemUTC(),
                    SearchPath.parse("")).run();
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(jobs);
        }

        assertThat(jobs.started.get()).as("Spark jobs of the distributed evaluator").isPositive();
        ReleaseMetrics driver = first.manifest().metrics();
        ReleaseMetrics executors = second.manifest().metrics();
        assertThat(executors.meanAveragePrecisionArea()).isCloseTo(driver.meanAveragePrecisionArea(), within(1e-9));
        assertThat(executors.meanAveragePrecisionElevenPoint()).isCloseTo(driver.meanAveragePrecisionElevenPoint(), within(1e-9));
        assertThat(executors.fp16MeanAveragePrecisionArea().getAsDouble())
                .isCloseTo(driver.fp16MeanAveragePrecisionArea().getAsDouble(), within(1e-9));
        assertThat(second.gate().currentVersion()).contains("night-1");
        assertThat(second.gate().currentMap().getAsDouble()).as("the gate's re-scoring of the running release")
                .isCloseTo(driver.meanAveragePrecisionArea(), within(1e-9));
        assertThat(second.gate().passed()).isTrue();
    }

    /** Counts the Spark jobs started while it is registered. */
    private static final class JobCounter extends SparkListener {
        private final AtomicInteger started = new AtomicInteger();

        @Override
        public void onJobStart(SparkListenerJobStart jobStart) {
            started.incrementAndGet();
        }
    }

    @Test
    void anExportBeyondTheToleranceIsRefusedAndNothingIsWritten(@TempDir Path store) {
        // a tolerance no float export meets: the gate must refuse, naming the format and the element
        assertThatThrownBy(() -> publish(config(store, Map.of("faithfulness.tolerance", 1e-9))))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.EXPORT_MISMATCH))
                .hasMessageContaining(ModelExports.ONNX_FP32)
                .hasMessageContaining("at cell");
        assertThat(store.resolve("releases")).doesNotExist();
        assertThat(store.resolve("channels")).doesNotExist();
    }

    @Test
    void aReleaseIsPublishedThroughS3aAndVerifiesReadBackFromS3(@TempDir Path s3) throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start(s3, List.of("fleet"))) {
            Configuration hadoop = new Configuration(LocalSpark.session().sparkContext().hadoopConfiguration());
            S3ProxyHadoop.apply(server, hadoop);
            Config config = config(root, Map.of()).withValue("yolofleet.publish.store.uri", ConfigValueFactory.fromAnyRef("s3a://fleet/yolofleet"));
            PublishSummary summary = publish(config, hadoop);
            assertThat(summary.text()).contains("read-compare-write", "s3a://fleet/yolofleet");
            try (ReleaseStore store = ReleaseStores.open(java.net.URI.create("s3a://fleet/yolofleet"), hadoop)) {
                VerifiedRelease release = new ReleaseVerifier(TrustedKeys.of(List.of(keys.getPublic())))
                        .verifyChannel(new StoreReleaseReader(store), "tiny-yolo", "nightly");
                assertThat(release.manifest()).isEqualTo(summary.manifest());
                assertThat(store.list("releases/tiny-yolo")).isNotEmpty().noneMatch(key -> key.contains(".staging-"));
            }

            // a Raspberry Pi agent (cpu profile) installs what the stage published, from S3, verified as it always does
            Path device = s3.resolveSibling(s3.getFileName() + "-device");
            Path publicKey = Files.createDirectories(device).resolve("publisher.pub.pem");
            Files.writeString(publicKey, Ed25519Pem.publicKeyPem(keys.getPublic()), StandardCharsets.US_ASCII);
            DeviceConfig agent = DeviceConfigLoader.of(ConfigFactory.parseString("device { store = \"s3://fleet/yolofleet\", model = tiny-yolo,"
                    + " channel = nightly, profile = cpu, trusted-keys = [\"" + publicKey + "\"], install-dir = \"" + device.resolve("install")
                    + "\", reserve-bytes = 0 }"), device);
            try (S3Client client = S3ReleaseSource.client(Optional.of("us-east-1"), Optional.of(server.endpoint()), true,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)),
                    Duration.ofSeconds(30))) {
                Backoff backoff = new Backoff(3, Duration.ofMillis(10), Duration.ofMillis(100), new Random(1), Backoff.THREAD_SLEEP);
                SyncOutcome installed = new Sync(agent, new S3ReleaseSource(client, "fleet", "yolofleet"), backoff, FreeSpace.FILE_STORE,
                        new EventLog(new PrintWriter(new StringWriter(), true)), Clock.systemUTC()).run();
                assertThat(installed.result()).isEqualTo(SyncOutcome.Result.INSTALLED);
                assertThat(installed.version()).contains(summary.manifest().version());
                assertThat(device.resolve("install/current/model.onnx")).hasSize(summary.manifest().artifacts().stream()
                        .filter(artifact -> artifact.name().equals("model.onnx")).findFirst().orElseThrow().size());
            }
        }
    }
}

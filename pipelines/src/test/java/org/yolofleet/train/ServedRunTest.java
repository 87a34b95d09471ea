package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.ChannelPointer;
import org.yolofleet.core.release.ClassMetrics;
import org.yolofleet.core.release.DecodeSpec;
import org.yolofleet.core.release.DecodeThresholds;
import org.yolofleet.core.release.DeviceTarget;
import org.yolofleet.core.release.ManifestSigner;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.ReleaseMetrics;
import org.yolofleet.core.release.ReleaseRejectedException;
import org.yolofleet.core.release.Sha256;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.model.TinyYoloGraphBuilder;
import org.yolofleet.model.TrainingHyperparameters;
import org.yolofleet.publish.store.ReleaseStore;
import org.yolofleet.publish.store.ReleaseStores;
import org.yolofleet.testing.S3ProxyHadoop;
import org.yolofleet.testing.LocalSpark;
import org.yolofleet.testing.S3ProxyServer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code train.init.mode = released}: the channel's release, verified, names the run whose best checkpoint the next run
 * starts from. Releases are written as publish lays them out (signed manifest, artifacts, channel pointer last) into a
 * real store (a directory; one case through {@code s3a://} on S3Proxy), with tiny 96 px networks as checkpoints.
 */
class ServedRunTest {
    private static final List<String> CLASSES = List.of("red", "green", "blue");
    private static final ModelSpec SPEC = TinyYoloV2.spec(CLASSES.size(), TinyYoloV2.VOC_ANCHORS, 96, 96, ResizeMode.LETTERBOX);
    private static final String MODEL = "tiny-yolo";
    private static final String CHANNEL = "nightly";

    @TempDir
    Path directory;
    private KeyPair publisher;
    private Path publicKey;
    private String runsRoot;
    private String storeUri;

    @BeforeEach
    void keysAndFolders() throws Exception {
        publisher = SigningKeys.generate();
        publicKey = directory.resolve("signing-public.pem");
        SigningKeys.write(publisher, directory.resolve("signing-private.pem"), publicKey);
        runsRoot = directory.resolve("runs").toUri().toString().replaceAll("/$", "");
        storeUri = directory.resolve("releases").toUri().toString().replaceAll("/$", "");
    }

    @Test
    void theRunStartsFromTheChannelsReleaseRunEvenWhenANewerRefusedRunIsTheLatest() throws Exception {
        ComputationGraph released = network(1);
        CompletedRun night1 = completedRun(runsRoot, "night-1", released, CLASSES, new Configuration());
        CompletedRun night2 = completedRun(runsRoot, "night-2", CLASSES);
        // night-2 completed after night-1 (latest.json names it) but the publish gate refused it: the channel still serves night-1
        night2.write(FileSystem.get(URI.create(runsRoot), new Configuration()), RunLayout.latest(runsRoot));
        try (ReleaseStore store = ReleaseStores.open(URI.create(storeUri), new Configuration())) {
            publish(store, "night-1", 1, "night-1", CLASSES);
        }

        TrainConfig.Released settings = released(storeUri, List.of(publicKey.toString()));
        Optional<ServedRun> served = ServedRun.find(settings, settings.trusted(Map.of()), runsRoot, new Configuration());
        assertThat(served).isPresent();
        assertThat(served.get().run().runId()).isEqualTo("night-1");
        assertThat(served.get().describe()).contains("release tiny-yolo night-1 (channel nightly, sequence 1").contains("of run night-1");

        TrainConfig.Initialisation resolved = ModelInitializer.resolveReleased(releasedMode(settings, TrainConfig.IfNoPrevious.FAIL), served, CLASSES);
        assertThat(resolved.mode()).isEqualTo(TrainConfig.InitialisationMode.CHECKPOINT);
        assertThat(resolved.weights()).isEqualTo(night1.bestCheckpoint()).isNotEqualTo(night2.bestCheckpoint());
        ComputationGraph network = ModelInitializer.initialise(SPEC, resolved, hyperparameters(), TinyYoloGraphBuilder.DEFAULT_BATCH_NORM_DECAY,
                new Configuration());
        assertThat(network.params()).isEqualTo(released.params());
    }

    @Test
    void aTrainRunInReleasedModeRecordsTheReleaseAndRunItStartedFrom() throws Exception {
        Path shards = directory.resolve("shards");
        TrainFixtures.writeShards(shards, 16, 4, 16);
        CompletedRun night1 = completedRun(runsRoot, "night-1", network(1), CLASSES, new Configuration());
        CompletedRun night2 = completedRun(runsRoot, "night-2", CLASSES);
        night2.write(FileSystem.get(URI.create(runsRoot), new Configuration()), RunLayout.latest(runsRoot));
        try (ReleaseStore store = ReleaseStores.open(URI.create(storeUri), new Configuration())) {
            publish(store, "night-1", 1, "night-1", CLASSES);
        }
        TrainConfig config = TrainConfig.from(TrainFixtures.config(shards.toUri().toString(), "", Map.of("runs-root", runsRoot, "run-id", "night-3",
                "epochs", 1, "master.workers", 1, "init.mode", "released", "init.released.store", storeUri,
                "init.released.trusted-keys", List.of(publicKey.toString()))));

        TrainSummary summary = new TrainStage(LocalSpark.session(), config, Clock.systemUTC()).run();

        String startedFrom = "release tiny-yolo night-1 (channel nightly, sequence 1, key " + SigningKeys.keyId(publisher.getPublic())
                + ") of run night-1: its best checkpoint " + night1.bestCheckpoint();
        assertThat(summary.text()).contains("  start     " + startedFrom);
        assertThat(Files.readString(directory.resolve("runs/night-3/" + TrainStage.START_FILE))).isEqualTo(startedFrom);
        assertThat(CompletedRun.read(FileSystem.get(URI.create(runsRoot), new Configuration()), RunLayout.latest(runsRoot))
                .map(CompletedRun::startedFrom)).contains(startedFrom);
    }

    @Test
    void theDefaultTrustIsThePublicKeyOfPublishsSigningKeyAndAnotherPublishersReleaseIsRefused() throws Exception {
        completedRun(runsRoot, "night-1", CLASSES);
        try (ReleaseStore store = ReleaseStores.open(URI.create(storeUri), new Configuration())) {
            publish(store, "night-1", 1, "night-1", CLASSES);
        }
        TrainConfig.Released fromSigningKey = new TrainConfig.Released(storeUri, MODEL, CHANNEL, List.of(), "", "SIGNING_KEY");
        String pem = Files.readString(directory.resolve("signing-private.pem"));
        assertThat(ServedRun.find(fromSigningKey, fromSigningKey.trusted(Map.of("SIGNING_KEY", pem)), runsRoot, new Configuration())
                .map(run -> run.run().runId())).contains("night-1");
        assertThatThrownBy(() -> fromSigningKey.trusted(Map.of()))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("yolofleet.train.init.released.trusted-keys")
                .hasMessageContaining("SIGNING_KEY");

        KeyPair stranger = SigningKeys.generate();
        Path strangerKey = directory.resolve("stranger-public.pem");
        SigningKeys.write(stranger, directory.resolve("stranger-private.pem"), strangerKey);
        TrainConfig.Released strangers = released(storeUri, List.of(strangerKey.toString()));
        assertThatThrownBy(() -> ServedRun.find(strangers, strangers.trusted(Map.of()), runsRoot, new Configuration()))
                .isInstanceOfSatisfying(ReleaseRejectedException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.RELEASE_SIGNATURE))
                .hasMessageContaining("not trusted");
    }

    @Test
    void aTamperedManifestOrArtifactIsRefused() throws Exception {
        completedRun(runsRoot, "night-1", CLASSES);
        completedRun(runsRoot, "night-2", CLASSES);
        TrainConfig.Released settings = released(storeUri, List.of(publicKey.toString()));
        try (ReleaseStore store = ReleaseStores.open(URI.create(storeUri), new Configuration())) {
            publish(store, "night-1", 1, "night-1", CLASSES);
            // someone points the signed manifest at another run: the signature no longer covers its bytes
            String manifestKey = ReleaseLayout.manifest(MODEL, "night-1");
            String manifest = new String(store.read(manifestKey), StandardCharsets.UTF_8);
            String tampered = manifest.replaceFirst("(\"trainingRunId\"\\s*:\\s*)\"night-1\"", "$1\"night-2\"");
            assertThat(tampered).isNotEqualTo(manifest);
            store.write(manifestKey, tampered.getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> ServedRun.find(settings, settings.trusted(Map.of()), runsRoot, new Configuration()))
                .isInstanceOfSatisfying(ReleaseRejectedException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.RELEASE_SIGNATURE))
                .hasMessageContaining("does not verify");

        try (ReleaseStore store = ReleaseStores.open(URI.create(storeUri), new Configuration())) {
            publish(store, "night-1", 1, "night-1", CLASSES);
            store.write(ReleaseLayout.artifact(MODEL, "night-1", "model.onnx"), new byte[] {1, 2, 3});
        }
        assertThatThrownBy(() -> ServedRun.find(settings, settings.trusted(Map.of()), runsRoot, new Configuration()))
                .isInstanceOfSatisfying(ReleaseRejectedException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.RELEASE_TAMPERED))
                .hasMessageContaining("model.onnx");
    }

    @Test
    void aChannelWithNoReleaseYetFollowsIfNoPrevious() {
        TrainConfig.Released settings = released(storeUri, List.of(publicKey.toString()));
        Optional<ServedRun> served = ServedRun.find(settings, settings.trusted(Map.of()), runsRoot, new Configuration());
        assertThat(served).isEmpty();

        assertThat(ModelInitializer.resolveReleased(releasedMode(settings, TrainConfig.IfNoPrevious.SCRATCH), served, CLASSES).mode())
                .isEqualTo(TrainConfig.InitialisationMode.SCRATCH);
        assertThatThrownBy(() -> ModelInitializer.resolveReleased(releasedMode(settings, TrainConfig.IfNoPrevious.FAIL), served, CLASSES))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("channel nightly of tiny-yolo in " + storeUri + " serves no release yet")
                .hasMessageContaining("yolofleet.train.init.if-no-previous = scratch");
        TrainConfig.Initialisation previous = new TrainConfig.Initialisation(TrainConfig.InitialisationMode.PREVIOUS, "", 0, 0);
        assertThat(ModelInitializer.resolveReleased(previous, Optional.empty(), CLASSES)).isSameAs(previous);
    }

    @Test
    void aReleaseOfOtherClassesIsRefused() throws Exception {
        List<String> otherClasses = List.of("red", "green", "yellow");
        completedRun(runsRoot, "night-1", otherClasses);
        try (ReleaseStore store = ReleaseStores.open(URI.create(storeUri), new Configuration())) {
            publish(store, "night-1", 1, "night-1", otherClasses);
        }
        TrainConfig.Released settings = released(storeUri, List.of(publicKey.toString()));
        Optional<ServedRun> served = ServedRun.find(settings, settings.trusted(Map.of()), runsRoot, new Configuration());

        assertThatThrownBy(() -> ModelInitializer.resolveReleased(releasedMode(settings, TrainConfig.IfNoPrevious.SCRATCH), served, CLASSES))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("release tiny-yolo night-1")
                .hasMessageContaining("detects classes [red, green, yellow]")
                .hasMessageContaining("yolofleet.classes = [red, green, blue]");
    }

    @Test
    void aReleaseWhoseRunOrCheckpointWasPrunedFailsNamingTheRunAndNeverFallsBack() throws Exception {
        CompletedRun night1 = completedRun(runsRoot, "night-1", CLASSES);
        completedRun(runsRoot, "night-2", CLASSES);
        try (ReleaseStore store = ReleaseStores.open(URI.create(storeUri), new Configuration())) {
            publish(store, "night-1", 1, "night-1", CLASSES);
        }
        TrainConfig.Released settings = released(storeUri, List.of(publicKey.toString()));
        Files.delete(Path.of(URI.create(night1.bestCheckpoint())));
        assertThatThrownBy(() -> ServedRun.find(settings, settings.trusted(Map.of()), runsRoot, new Configuration()))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("was trained by run night-1, whose best checkpoint")
                .hasMessageContaining("--set train.init.mode=previous");

        Files.delete(directory.resolve("runs/night-1/run.json"));
        assertThatThrownBy(() -> ServedRun.find(settings, settings.trusted(Map.of()), runsRoot, new Configuration()))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("release tiny-yolo night-1 (channel nightly of tiny-yolo in " + storeUri + ") was trained by run night-1")
                .hasMessageContaining("night-1/run.json does not exist")
                .hasMessageContaining("restore the run");
    }

    @Test
    void theChannelsReleaseAndItsRunAreFoundThroughS3a() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start(directory.resolve("s3proxy"), List.of("fleet"))) {
            Configuration hadoop = new Configuration();
            S3ProxyHadoop.apply(server, hadoop);
            String s3Runs = "s3a://fleet/yolofleet/runs";
            String s3Store = "s3a://fleet/yolofleet";
            // the checkpoint is not loaded here: reading a model.zip through s3a:// is TrainStageS3Test's
            Path zip = Files.write(directory.resolve("night-1.zip"), new byte[] {1});
            completedRun(s3Runs, "night-1", zip, CLASSES, hadoop);
            try (ReleaseStore store = ReleaseStores.open(URI.create(s3Store), hadoop)) {
                publish(store, "night-1", 1, "night-1", CLASSES);
            }
            TrainConfig.Released settings = released(s3Store, List.of(publicKey.toString()));
            Optional<ServedRun> served = ServedRun.find(settings, settings.trusted(Map.of()), s3Runs, hadoop);
            TrainConfig.Initialisation resolved = ModelInitializer.resolveReleased(releasedMode(settings, TrainConfig.IfNoPrevious.FAIL), served,
                    CLASSES);
            assertThat(served.map(run -> run.release().manifest().version())).contains("night-1");
            assertThat(resolved.weights()).isEqualTo("s3a://fleet/yolofleet/runs/night-1/checkpoints/epoch-003/model.zip");
        }
    }

    private TrainConfig.Released released(String store, List<String> trustedKeys) {
        return new TrainConfig.Released(store, MODEL, CHANNEL, trustedKeys, "", "");
    }

    private static TrainConfig.Initialisation releasedMode(TrainConfig.Released settings, TrainConfig.IfNoPrevious ifNoPrevious) {
        return new TrainConfig.Initialisation(TrainConfig.InitialisationMode.RELEASED, "", 0, 0, ifNoPrevious, settings);
    }

    private static TrainingHyperparameters hyperparameters() {
        return new TrainingHyperparameters(TrainingHyperparameters.Optimizer.ADAM, 0.001, 0.9, 0.0005, 99);
    }

    private static ComputationGraph network(long seed) {
        return TinyYoloGraphBuilder.forSpec(SPEC)
                .hyperparameters(new TrainingHyperparameters(TrainingHyperparameters.Optimizer.ADAM, 0.001, 0.9, 0.0005, seed)).build();
    }

    /** A complete run under {@code root} whose best checkpoint (epoch 3) is {@code network}: its model.zip and run.json. */
    private CompletedRun completedRun(String root, String runId, ComputationGraph network, List<String> classes, Configuration hadoop)
            throws Exception {
        Path zip = Files.createTempFile(directory, runId, ".zip");
        ModelSerializer.writeModel(network, zip.toFile(), true);
        return completedRun(root, runId, zip, classes, hadoop);
    }

    /** A complete run whose checkpoint is never loaded: a placeholder model.zip (a real one costs seconds to write). */
    private CompletedRun completedRun(String root, String runId, List<String> classes) throws Exception {
        Path zip = Files.write(Files.createTempFile(directory, runId, ".zip"), ("checkpoint of " + runId).getBytes(StandardCharsets.UTF_8));
        return completedRun(root, runId, zip, classes, new Configuration());
    }

    private CompletedRun completedRun(String root, String runId, Path zip, List<String> classes, Configuration hadoop) throws Exception {
        String run = root + "/" + runId;
        String checkpoint = run + "/checkpoints/epoch-003/model.zip";
        FileSystem fileSystem = FileSystem.get(URI.create(run), hadoop);
        fileSystem.copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(zip.toUri()), new org.apache.hadoop.fs.Path(checkpoint));
        CompletedRun completed = new CompletedRun(runId, run, checkpoint, 3, 0.4, 5, classes, "2026-12-06T03:00:00Z", root + "/../shards");
        completed.write(fileSystem, new org.apache.hadoop.fs.Path(run, RunLayout.RUN_RECORD));
        return completed;
    }

    /** A release of {@code runId} written as publish writes one: artifacts, the signed manifest, then the channel pointer. */
    private void publish(ReleaseStore store, String version, long sequence, String runId, List<String> classes) {
        byte[] onnx = ("onnx of " + runId).getBytes(StandardCharsets.UTF_8);
        store.write(ReleaseLayout.artifact(MODEL, version, "model.onnx"), onnx);
        List<ClassMetrics> metrics = classes.stream().map(name -> new ClassMetrics(name, OptionalDouble.of(0.4), OptionalDouble.of(0.4))).toList();
        ReleaseManifest manifest = new ReleaseManifest(MODEL, version, sequence, Instant.parse("2026-12-06T04:00:00Z"), runId, "shapes-1",
                Optional.empty(), "0.1.0-SNAPSHOT", false, DecodeSpec.from(SPEC, classes, DecodeThresholds.DARKNET),
                new ReleaseMetrics(0.5, 0.4, 0.4, OptionalDouble.empty(), metrics),
                List.of(ArtifactEntry.of("model.onnx", ArtifactFormat.ONNX_FP32, Optional.of(DeviceTarget.CPU), Sha256.of(onnx), "yolofleet",
                        "0.1.0-SNAPSHOT")), List.of());
        byte[] manifestJson = manifest.toJson();
        store.write(ReleaseLayout.manifest(MODEL, version), manifestJson);
        store.write(ReleaseLayout.signature(MODEL, version), new ManifestSigner(publisher.getPrivate()).sign(manifestJson).toJson());
        store.write(ReleaseLayout.channelPointer(MODEL, CHANNEL), ChannelPointer.to(manifest, manifestJson, CHANNEL,
                Instant.parse("2026-12-06T04:01:00Z"), Optional.empty()).toJson());
    }
}

package org.yolofleet.publish;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.ChannelPointer;
import org.yolofleet.core.release.DecodeThresholds;
import org.yolofleet.core.release.ManifestSignature;
import org.yolofleet.core.release.ManifestSigner;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.Sha256;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.detect.Detector;
import org.yolofleet.ml.eval.SplitEvaluator;
import org.yolofleet.publish.compile.CompileOutcome;
import org.yolofleet.publish.compile.CompilerRunner;
import org.yolofleet.publish.compile.InputFormat;
import org.yolofleet.publish.compile.SearchPath;
import org.yolofleet.publish.report.DetectionGrid;
import org.yolofleet.publish.report.ModelCard;
import org.yolofleet.publish.report.ModelCardHtml;
import org.yolofleet.publish.store.ChannelWrite;
import org.yolofleet.publish.store.ReleaseStore;
import org.yolofleet.publish.store.ReleaseStoreOptions;
import org.yolofleet.publish.store.ReleaseStores;
import org.yolofleet.publish.store.StagedRelease;
import org.yolofleet.publish.store.StoreReleaseReader;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The {@code publish} stage: a complete training run's best checkpoint → exports → proven faithful → the regression
 * gate → vendor compilers where installed → a signed release in the store → the channel moved to it.
 *
 * <p>Nothing reaches the store before both gates pass. The release is staged under a temporary prefix, each file read
 * back and checked, committed with {@code manifest.sig} last, and verified again as a device would (signature, every
 * artifact's size and SHA-256) before the channel pointer — the only file devices poll — is replaced, last, with a
 * conditional write against the pointer read at the start ({@link ErrorCode#CHANNEL_CONFLICT} when another publish moved
 * it meanwhile). Killed at any point, the channel still names a complete, verifiable release.
 */
public final class PublishStage {
    private static final Logger LOG = LoggerFactory.getLogger(PublishStage.class);
    private static final String PRODUCER = "yolofleet";

    private final PublishConfig config;
    private final ReleaseStoreOptions storeOptions;
    private final Configuration hadoop;
    private final PrivateKey signingKey;
    private final Clock clock;
    private final SearchPath searchPath;
    private final SplitEvaluator evaluator;

    /** A publish without a Spark session: every val split's mAP computed on the driver. */
    public PublishStage(PublishConfig config, ReleaseStoreOptions storeOptions, Configuration hadoop, PrivateKey signingKey, Clock clock,
                        SearchPath searchPath) {
        this(config, storeOptions, hadoop, signingKey, clock, searchPath, SplitEvaluator.onDriver());
    }

    /**
     * A publish in a Spark session (its Hadoop settings): the gates compute the mAP of a val split larger than
     * {@link PublishConfig#distributedAbove()} images on the executors.
     */
    public PublishStage(PublishConfig config, ReleaseStoreOptions storeOptions, SparkSession spark, PrivateKey signingKey, Clock clock,
                        SearchPath searchPath) {
        this(config, storeOptions, spark.sparkContext().hadoopConfiguration(), signingKey, clock, searchPath,
                SplitEvaluator.distributedAbove(config.distributedAbove(), spark));
    }

    private PublishStage(PublishConfig config, ReleaseStoreOptions storeOptions, Configuration hadoop, PrivateKey signingKey, Clock clock,
                         SearchPath searchPath, SplitEvaluator evaluator) {
        this.config = requireNonNull(config, "config");
        this.storeOptions = requireNonNull(storeOptions, "storeOptions");
        this.hadoop = requireNonNull(hadoop, "hadoop");
        this.signingKey = requireNonNull(signingKey, "signingKey");
        this.clock = requireNonNull(clock, "clock");
        this.searchPath = requireNonNull(searchPath, "searchPath");
        this.evaluator = requireNonNull(evaluator, "evaluator");
    }

    public PublishSummary run() {
        Instant started = clock.instant();
        Path work = temporaryDirectory();
        try (ReleaseStore store = ReleaseStores.open(URI.create(config.store()), hadoop, storeOptions)) {
            ReleaseCandidate candidate = ReleaseCandidate.select(config, hadoop, work);
            String version = config.version().isEmpty() ? candidate.run().runId() : config.version();
            ReleaseLayout.requireSegment("version", version);
            boolean finishing = StagedRelease.isComplete(store, config.model(), version);
            if (finishing) {
                requireNotServed(store, version);
            } else {
                List<String> removed = StagedRelease.cleanLeftovers(store, config.model(), version);
                if (!removed.isEmpty()) {
                    LOG.info("publish: removed what a stopped publish of {} {} left: {}", config.model(), version, removed);
                }
            }
            LOG.info("publish: {} (run {}, checkpoint {}) as {} {}", candidate.run().run(), candidate.run().runId(), candidate.checkpointUri(),
                    config.model(), version);
            ModelExports exports = ModelExports.write(candidate.model(), version,
                    new DecodeThresholds(config.deployment().score(), config.deployment().nonMaxSuppressionIou()), work.resolve("release"));
            ModelScoring scoring = new ModelScoring(config.scoring(), evaluator);
            Faithfulness.Report faithful = new Faithfulness(config, threads(), scoring).check(candidate, exports);
            faithful.parity().forEach(result -> LOG.info("publish: {}", result.describe()));

            ReleaseChannel channel = ReleaseChannel.read(store, config.model(), config.channel());
            TrustedKeys trusted = TrustedKeys.of(List.of(SigningKeys.publicKeyOf(signingKey)));
            Optional<RegressionGate.Current> current = channel.pointer().map(pointer ->
                    CurrentRelease.score(store, trusted, pointer, candidate.valSplit(), scoring, work, threads()));
            RegressionGate.Decision decision = new RegressionGate(config.maxMapDrop()).decide(faithful.fp32(), candidate.model().classNames(), current);
            LOG.info("publish: regression gate {}", decision.reason());
            decision.requirePassed(config.force());

            List<CompileOutcome> compiled;
            VerifiedRelease verified;
            byte[] manifestJson;
            if (finishing) {
                compiled = List.of();
                verified = requireSameRelease(store, version, exports, trusted, channel);
                manifestJson = store.read(ReleaseLayout.manifest(config.model(), version));
                if (!Sha256.of(manifestJson).hex().equals(verified.manifestSha256())) {
                    throw new YoloFleetException(ErrorCode.CHANNEL_CONFLICT, "the manifest of " + config.model() + " " + version
                            + " changed in " + config.store() + " while this publish was finishing it: another publish is writing it");
                }
            } else {
                compiled = new CompilerRunner(searchPath, CompilerRunner.DEFAULT_LOG_TAIL_BYTES).runAll(config.compilers(),
                        Map.of(InputFormat.TF_FROZEN_GRAPH, exports.path(ModelExports.TF_GRAPH), InputFormat.ONNX, exports.path(ModelExports.ONNX_FP32)),
                        exports.directory());
                long sequence = ReleaseHistory.nextSequence(store, config.model());
                ReleaseManifest built = new ManifestBuilder(PRODUCER, projectVersion()).build(config, candidate, version, sequence,
                        clock.instant(), channel.pointer().map(ChannelPointer::version), exports, faithful, compiled, !decision.passed());
                built = withModelCard(built, candidate, exports, faithful, compiled, ModelCard.Gate.of(decision, current,
                        candidate.model().classNames()));
                manifestJson = built.toJson();
                ManifestSignature signature = new ManifestSigner(signingKey).sign(manifestJson);
                verified = write(store, built, manifestJson, signature, exports.directory(), trusted);
            }
            ReleaseManifest manifest = verified.manifest();
            long sequence = manifest.sequence();
            ChannelPointer pointer = ChannelPointer.to(manifest, manifestJson, config.channel(), clock.instant(), channel.pointer());
            ChannelWrite moved = store.compareAndSet(ReleaseLayout.channelPointer(config.model(), config.channel()), channel.etag(), pointer.toJson());
            LOG.info("publish: channel {} of {} now serves {} (sequence {}, {} write)", config.channel(), config.model(), version, sequence,
                    moved.conditional() ? "conditional" : "read-compare-write");
            return new PublishSummary(config.store(), manifest, verified.keyId(), config.channel(), channel.pointer().map(ChannelPointer::version),
                    faithful, decision, compiled, moved.conditional(), Duration.between(started, clock.instant()).toMillis() / 1000.0);
        } finally {
            deleteRecursively(work);
        }
    }

    /** A complete release the channel already serves is done: publishing it again would change nothing. */
    private void requireNotServed(ReleaseStore store, String version) {
        Optional<ChannelPointer> serving = ReleaseChannel.read(store, config.model(), config.channel()).pointer();
        if (serving.map(ChannelPointer::version).filter(version::equals).isPresent()) {
            throw new YoloFleetException(ErrorCode.OUTPUT_EXISTS, "release " + config.model() + " " + version + " already exists in "
                    + config.store() + " and channel " + config.channel() + " serves it: a version is immutable once signed. Publish another "
                    + "run, or set --version");
        }
        LOG.info("publish: {} {} is complete in {} but channel {} does not serve it (a publish stopped before its channel write): "
                + "finishing it if this run's exports are the same", config.model(), version, config.store(), config.channel());
    }

    /**
     * The complete release {@code version} left by a publish that stopped before its channel write, verified, when it is
     * this run's: every export of it byte-identical to the one just made, and newer than what the channel serves.
     */
    private VerifiedRelease requireSameRelease(ReleaseStore store, String version, ModelExports exports, TrustedKeys trusted,
                                               ReleaseChannel channel) {
        VerifiedRelease existing = new ReleaseVerifier(trusted).verify(new StoreReleaseReader(store), config.model(), version);
        for (var artifact : existing.manifest().artifacts()) {
            Path made = exports.directory().resolve(artifact.name());
            boolean export = ModelExports.FILES.stream().anyMatch(file -> file.name().equals(artifact.name()));
            if (export && !artifact.sha256().equals(sha256(made))) {
                throw new YoloFleetException(ErrorCode.OUTPUT_EXISTS, "release " + config.model() + " " + version + " already exists in "
                        + config.store() + " with another " + artifact.name() + ": a version is immutable once signed. Publish another "
                        + "run, or set --version");
            }
        }
        long serving = channel.pointer().map(ChannelPointer::sequence).orElse(0L);
        if (existing.manifest().sequence() <= serving) {
            throw new YoloFleetException(ErrorCode.OUTPUT_EXISTS, "release " + config.model() + " " + version + " (sequence "
                    + existing.manifest().sequence() + ") is older than what channel " + config.channel() + " serves now (sequence " + serving
                    + "): not moving the channel back; use publish promote or rollback for that");
        }
        LOG.info("publish: {} {} in the store is this run's (exports identical, signature verified): moving the channel to it", config.model(),
                version);
        return existing;
    }

    /**
     * Writes the release's model card ({@value ModelCard#FILE}) into its directory, before anything is staged, and returns
     * the manifest that lists it as a {@link ArtifactFormat#MODEL_CARD} document (no device target), so its hash is signed
     * and verified like every file's. The card's detections are drawn by the FP32 ONNX export in ONNX Runtime.
     */
    private ReleaseManifest withModelCard(ReleaseManifest manifest, ReleaseCandidate candidate, ModelExports exports, Faithfulness.Report faithful,
                                          List<CompileOutcome> compiled, ModelCard.Gate gate) {
        List<DetectionGrid.Thumbnail> thumbnails;
        try (Detector onnx = exports.onnxFp32(threads())) {
            thumbnails = DetectionGrid.draw(onnx, exports.decode(), candidate.valSplit().first(DetectionGrid.IMAGES), DetectionGrid.THUMBNAIL_SIDE);
        }
        Path file = exports.path(ModelCard.FILE);
        try {
            Files.write(file, ModelCardHtml.renderBytes(new ModelCard(manifest, gate, faithful.fp32(), faithful.parity(), compiled, thumbnails)));
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot write the model card " + file + ": " + failure.getMessage(), failure);
        }
        LOG.info("publish: model card {} ({} bytes, {} val images drawn by {})", ModelCard.FILE, file.toFile().length(), thumbnails.size(),
                ModelExports.ONNX_FP32);
        return new ManifestBuilder(PRODUCER, projectVersion()).withDocument(manifest, file, ArtifactFormat.MODEL_CARD);
    }

    /** Stages every file, commits with the signature last, and verifies the committed release as a device would. */
    private VerifiedRelease write(ReleaseStore store, ReleaseManifest manifest, byte[] manifestJson, ManifestSignature signature, Path files,
                                  TrustedKeys trusted) {
        StagedRelease staged = StagedRelease.begin(store, manifest.model(), manifest.version());
        try {
            for (var artifact : manifest.artifacts()) {
                staged.add(artifact.name(), files.resolve(artifact.name()));
            }
            staged.add(ReleaseLayout.MANIFEST, manifestJson);
            staged.add(ReleaseLayout.SIGNATURE, signature.toJson());
            LOG.info("publish: {} files staged under {}, committing", staged.files().size(), staged.stagingPrefix());
            staged.commit();
        } catch (RuntimeException failure) {
            staged.abort();
            throw failure;
        }
        VerifiedRelease verified = new ReleaseVerifier(trusted).verify(new StoreReleaseReader(store), manifest.model(), manifest.version());
        LOG.info("publish: {} {} committed and verified as a device would (key {})", manifest.model(), manifest.version(), verified.keyId());
        return verified;
    }

    private static String sha256(Path file) {
        try (var input = Files.newInputStream(file)) {
            return Sha256.of(input).hex();
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read " + file + ": " + failure.getMessage(), failure);
        }
    }

    private static int threads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** The yolofleet version (the jar's), or {@code development} when run from classes. */
    static String projectVersion() {
        String version = PublishStage.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("yolofleet-publish-");
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot create a temporary directory: " + failure.getMessage(), failure);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException failure) {
            LOG.warn("publish: cannot remove {}: {}", directory, failure.getMessage());
        }
    }
}

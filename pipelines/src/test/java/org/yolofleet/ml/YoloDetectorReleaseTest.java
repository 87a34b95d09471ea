package org.yolofleet.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.ClassMetrics;
import org.yolofleet.core.release.DecodeSpec;
import org.yolofleet.core.release.DecodeThresholds;
import org.yolofleet.core.release.DeviceTarget;
import org.yolofleet.core.release.Ed25519Pem;
import org.yolofleet.core.release.ManifestSigner;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.ReleaseMetrics;
import org.yolofleet.core.release.ReleaseRejectedException;
import org.yolofleet.core.release.Sha256;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.detect.DetectFixtures;
import org.yolofleet.testing.LocalSpark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link YoloDetector} on a signed release: verified with the trusted key before use, and refused with a typed error
 * when no key is set, the key is another, or the manifest or the model was tampered with, on the driver or after it
 * verified; an ONNX export named directly runs unverified.
 */
class YoloDetectorReleaseTest {
    @TempDir
    static Path directory;

    private static SparkSession spark;
    private static Path onnx;
    private static KeyPair publisher;
    private static Path publicKey;
    private static Map<String, List<Detection>> expected;

    @BeforeAll
    static void publish() throws IOException {
        spark = LocalSpark.session();
        onnx = MlFixtures.onnxModel(directory);
        List<Path> images = MlFixtures.plainImages(directory.resolve("images"));
        expected = MlFixtures.oneJvmDetections(onnx, images, MlFixtures.THRESHOLDS);
        publisher = SigningKeys.generate();
        publicKey = writeKey(directory.resolve("publisher.pub"), publisher);
    }

    @Test
    void aSignedReleaseIsVerifiedWithTheTrustedKeyAndDetectsAsItsExportDoes() throws IOException {
        Path release = release("v1", publisher);

        ModelVerification.ResolvedModel resolved = ModelVerification.resolve(release.toString(), Optional.of(publicKey.toString()),
                spark.sparkContext().hadoopConfiguration());
        assertThat(resolved.verified()).isTrue();
        assertThat(resolved.sha256()).contains(Sha256.of(Files.readAllBytes(onnx)).hex());
        assertThat(resolved.describe()).contains("release cells v1", SigningKeys.keyId(publisher.getPublic()));

        assertThat(detect(new YoloDetector().setModelUri(release.toString()).setTrustedKeyUri(publicKey.toUri().toString()))).isEqualTo(expected);
        assertThat(detect(new YoloDetector().setModelUri(release.resolve(ReleaseLayout.MANIFEST).resolveSibling("model.onnx").toString())
                .setTrustedKeyUri(publicKey.toString()))).as("its model.onnx named directly is verified as part of the release").isEqualTo(expected);
    }

    @Test
    void anExportNamedDirectlyRunsUnverifiedWithoutAKey() {
        ModelVerification.ResolvedModel resolved = ModelVerification.resolve(onnx.toString(), Optional.empty(), spark.sparkContext().hadoopConfiguration());
        assertThat(resolved.verified()).isFalse();
        assertThat(resolved.describe()).contains("unverified");
        assertThat(detect(new YoloDetector().setModelUri(onnx.toString()))).isEqualTo(expected);
    }

    @Test
    void aReleaseWithoutATrustedKeyOrSignedByAnotherKeyIsRefused() throws IOException {
        Path release = release("v2", publisher);
        assertThatThrownBy(() -> detect(new YoloDetector().setModelUri(release.toString())))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("is a signed release")
                .hasMessageContaining("setTrustedKeyUri");

        Path stranger = writeKey(directory.resolve("stranger.pub"), SigningKeys.generate());
        assertThatThrownBy(() -> detect(new YoloDetector().setModelUri(release.toString()).setTrustedKeyUri(stranger.toString())))
                .isInstanceOfSatisfying(ReleaseRejectedException.class, failure -> {
                    assertThat(failure.code()).isEqualTo(ErrorCode.RELEASE_SIGNATURE);
                    assertThat(failure.reason()).isEqualTo(ReleaseRejectedException.Reason.UNKNOWN_KEY);
                });
    }

    @Test
    void aTamperedModelOrManifestIsRefusedBeforeAnythingRuns() throws IOException {
        Path model = release("v3", publisher).resolve("model.onnx");
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(model, bytes);
        assertThatThrownBy(() -> new YoloDetector().setModelUri(model.getParent().toString()).setTrustedKeyUri(publicKey.toString())
                .setInputCol("content").transform(files()))
                .isInstanceOfSatisfying(ReleaseRejectedException.class, failure -> {
                    assertThat(failure.code()).isEqualTo(ErrorCode.RELEASE_TAMPERED);
                    assertThat(failure.reason()).isEqualTo(ReleaseRejectedException.Reason.ARTIFACT_HASH);
                })
                .hasMessageContaining("model.onnx");

        Path manifest = release("v4", publisher).resolve(ReleaseLayout.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace("\"run-1\"", "\"run-2\""));
        assertThatThrownBy(() -> detect(new YoloDetector().setModelUri(manifest.getParent().toString()).setTrustedKeyUri(publicKey.toString())))
                .isInstanceOfSatisfying(ReleaseRejectedException.class, failure -> {
                    assertThat(failure.code()).isEqualTo(ErrorCode.RELEASE_SIGNATURE);
                    assertThat(failure.reason()).isEqualTo(ReleaseRejectedException.Reason.BAD_SIGNATURE);
                });
    }

    @Test
    void aModelReplacedAfterItsVerificationIsNotLoadedByTheExecutors() throws IOException {
        Path release = release("v5", publisher);
        Dataset<Row> detected = new YoloDetector().setModelUri(release.toString()).setTrustedKeyUri(publicKey.toString()).setInputCol("content")
                .transform(files());
        // another model of the same size in its place, after transform verified the release and before the job runs
        byte[] other = Files.readAllBytes(release.resolve("model.onnx"));
        other[other.length - 1] ^= 0x01;
        Files.write(release.resolve("model.onnx"), other);

        assertThatThrownBy(detected::collectAsList).hasStackTraceContaining("changed after its verification")
                .hasStackTraceContaining(ReleaseRejectedException.class.getName());
    }

    @Test
    void theTrustedKeyIsSavedWithTheDetector() throws IOException {
        Path saved = directory.resolve("saved-detector");
        new YoloDetector().setModelUri("s3a://models/releases/cells/v1").setTrustedKeyUri("s3a://models/publisher.pub").write().save(saved.toString());
        YoloDetector loaded = YoloDetector.load(saved.toString());
        assertThat(loaded.getTrustedKeyUri()).contains("s3a://models/publisher.pub");
        assertThat(new YoloDetector().getTrustedKeyUri()).isEmpty();
    }

    private static Dataset<Row> files() {
        return spark.read().format("binaryFile").load(directory.resolve("images").toString());
    }

    private static Map<String, List<Detection>> detect(YoloDetector detector) {
        Map<String, List<Detection>> found = new LinkedHashMap<>();
        for (Row row : detector.setInputCol("content").setThreshold(MlFixtures.THRESHOLDS.score()).transform(files())
                .select("path", "detections").collectAsList()) {
            found.put(MlFixtures.fileName(row.getString(0)), row.<Row>getList(1).stream().map(DetectionColumn::detection).toList());
        }
        return found;
    }

    /** The fixture's ONNX export as release {@code cells/<version>} under {@code <directory>/store}, signed by {@code signer}. */
    private static Path release(String version, KeyPair signer) throws IOException {
        Path release = directory.resolve("store").resolve(ReleaseLayout.releaseDirectory("cells", version));
        Files.createDirectories(release);
        byte[] model = Files.readAllBytes(onnx);
        Files.write(release.resolve("model.onnx"), model);
        List<ClassMetrics> classes = DetectFixtures.BCCD_CLASSES.stream()
                .map(name -> new ClassMetrics(name, OptionalDouble.of(0.5), OptionalDouble.of(0.5))).toList();
        ReleaseManifest manifest = new ReleaseManifest("cells", version, 1, Instant.parse("2026-12-06T23:00:00Z"), "run-1", "cells-1",
                Optional.empty(), "test", false, DecodeSpec.from(MlFixtures.spec(), DetectFixtures.BCCD_CLASSES, DecodeThresholds.DARKNET),
                new ReleaseMetrics(0.5, 0.5, 0.5, OptionalDouble.empty(), classes),
                List.of(ArtifactEntry.of("model.onnx", ArtifactFormat.ONNX_FP32, Optional.of(DeviceTarget.CPU), Sha256.of(model), "yolofleet", "test")),
                List.of());
        byte[] json = manifest.toJson();
        Files.write(release.resolve(ReleaseLayout.MANIFEST), json);
        Files.write(release.resolve(ReleaseLayout.SIGNATURE), new ManifestSigner(signer.getPrivate()).sign(json).toJson());
        return release;
    }

    private static Path writeKey(Path file, KeyPair pair) throws IOException {
        return Files.writeString(file, Ed25519Pem.publicKeyPem(pair.getPublic()), StandardCharsets.US_ASCII);
    }
}

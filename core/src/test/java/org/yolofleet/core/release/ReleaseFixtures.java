package org.yolofleet.core.release;

import org.yolofleet.core.model.TinyYoloV2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;

/** A VOC release written to a directory the way publish lays it out, for the release tests. */
public final class ReleaseFixtures {
    static final List<String> VOC_CLASSES = List.of("aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat",
            "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor");
    public static final String MODEL = "voc-tiny";
    static final String VERSION = "2026.12.06-1";
    static final String WEIGHTS = "model.weights";
    public static final String ONNX = "model.onnx";

    private ReleaseFixtures() {}

    static DecodeSpec vocDecodeSpec() {
        return DecodeSpec.from(TinyYoloV2.voc(), VOC_CLASSES, DecodeThresholds.DARKNET);
    }

    static ReleaseMetrics metrics() {
        List<ClassMetrics> classes = VOC_CLASSES.stream()
                .map(name -> name.equals("sofa")
                        ? new ClassMetrics(name, OptionalDouble.empty(), OptionalDouble.empty())
                        : new ClassMetrics(name, OptionalDouble.of(0.5 + name.length() / 100.0), OptionalDouble.of(0.48 + name.length() / 100.0)))
                .toList();
        return new ReleaseMetrics(0.5, 0.5731, 0.5529, OptionalDouble.of(0.5725), classes);
    }

    static ReleaseManifest manifest(String version, long sequence, List<ArtifactEntry> artifacts) {
        return new ReleaseManifest(MODEL, version, sequence, Instant.parse("2026-12-06T17:30:00Z"), "run-20261206-0412", "voc-2026.11",
                Optional.of("2026.11.30-2"), "0.1.0-SNAPSHOT", false, vocDecodeSpec(), metrics(), artifacts,
                List.of(new MissingArtifact(ArtifactFormat.NCS_GRAPH, Optional.of(DeviceTarget.NCS), "mvNCCompile not installed (publish.compilers.ncsdk)")));
    }

    /**
     * Writes artifacts (random bytes of the given sizes), the manifest and its signature under {@code root} as publish
     * lays them out; returns the manifest.
     */
    public static ReleaseManifest writeRelease(Path root, String version, long sequence, ManifestSigner signer, int weightsSize) throws IOException {
        Path directory = root.resolve(ReleaseLayout.releaseDirectory(MODEL, version));
        Files.createDirectories(directory);
        Random random = new Random(sequence);
        byte[] weights = new byte[weightsSize];
        random.nextBytes(weights);
        byte[] onnx = new byte[1000];
        random.nextBytes(onnx);
        Files.write(directory.resolve(WEIGHTS), weights);
        Files.write(directory.resolve(ONNX), onnx);
        List<ArtifactEntry> artifacts = List.of(
                ArtifactEntry.of(WEIGHTS, ArtifactFormat.DARKNET_WEIGHTS, Optional.empty(), Sha256.of(weights), "yolofleet", "0.1.0-SNAPSHOT"),
                ArtifactEntry.of(ONNX, ArtifactFormat.ONNX_FP32, Optional.of(DeviceTarget.CPU), Sha256.of(onnx), "yolofleet", "0.1.0-SNAPSHOT"));
        ReleaseManifest manifest = manifest(version, sequence, artifacts);
        byte[] manifestJson = manifest.toJson();
        Files.write(directory.resolve(ReleaseLayout.MANIFEST), manifestJson);
        Files.write(directory.resolve(ReleaseLayout.SIGNATURE), signer.sign(manifestJson).toJson());
        return manifest;
    }

    static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}

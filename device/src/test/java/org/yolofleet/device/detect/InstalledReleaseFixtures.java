package org.yolofleet.device.detect;

import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.model.Activation;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.LayerSpec;
import org.yolofleet.core.model.MaxPoolLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.NetOptions;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.onnx.OnnxExportOptions;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.ClassMetrics;
import org.yolofleet.core.release.DecodeSpec;
import org.yolofleet.core.release.DecodeThresholds;
import org.yolofleet.core.release.DeviceTarget;
import org.yolofleet.core.release.ManifestSigner;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.ReleaseMetrics;
import org.yolofleet.core.release.Sha256;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.testing.RandomWeights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * An installed release directory (manifest.json, manifest.sig and the artifacts side by side) around a tiny
 * Tiny-YOLOv2-shaped network exported by core's {@link OnnxExporter} with random weights: 128 x 96 letterbox input, five
 * 3x3 leaky convolutions each halving the size, a linear 1x1 head; 2 anchors, 3 classes: output {@code [1, 16, 3, 4]}.
 */
final class InstalledReleaseFixtures {
    static final List<String> CLASSES = List.of("cell", "platelet", "stain");
    static final String MODEL = "tiny-test";
    static final String FP32 = "model.onnx";
    static final String FP16 = "model-fp16.onnx";
    static final String REPORT = "report.json";

    private InstalledReleaseFixtures() {}

    /** A release written to a directory, and the ONNX bytes of its model. */
    record Written(Path directory, ReleaseManifest manifest, byte[] onnx) {
    }

    static ModelSpec spec() {
        List<LayerSpec> layers = new ArrayList<>();
        for (int filters : new int[] {8, 12, 16, 16, 24}) {
            layers.add(new ConvolutionalLayer(filters, 3, 1, true, true, Activation.LEAKY));
            layers.add(new MaxPoolLayer(2, 2));
        }
        RegionLayer region = new RegionLayer(List.of(new Anchor(1.08, 1.19), new Anchor(2.42, 1.81)), CLASSES.size(), RegionLayer.COORDINATES,
                true, 0.2, true, 5, 1, 1, 1, true, 0.6, true, true);
        layers.add(new ConvolutionalLayer(region.outputChannels(), 1, 1, true, false, Activation.LINEAR));
        layers.add(region);
        return new ModelSpec(128, 96, 3, ResizeMode.LETTERBOX, NetOptions.DARKNET_DEFAULTS, layers);
    }

    /**
     * Writes a release of the tiny network into {@code directory}: its ONNX export at the given precision (named
     * {@value #FP32} or {@value #FP16}) and a small report artifact, a manifest and its signature.
     */
    static Written write(Path directory, OnnxExportOptions.Precision precision, long seed) throws IOException {
        return write(directory, List.of(precision), seed, spec(), CLASSES);
    }

    /** The same for another network and its class names. */
    static Written write(Path directory, OnnxExportOptions.Precision precision, long seed, ModelSpec spec, List<String> classes) throws IOException {
        return write(directory, List.of(precision), seed, spec, classes);
    }

    /**
     * A release with an ONNX export per precision (the same weights), {@value #FP32} and {@value #FP16}; {@link Written#onnx()}
     * is the first precision's.
     */
    static Written write(Path directory, List<OnnxExportOptions.Precision> precisions, long seed, ModelSpec spec, List<String> classes)
            throws IOException {
        List<ConvolutionalWeights> weights = RandomWeights.ordinary(spec, seed);
        byte[] report = "{\"parity\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(directory);
        Files.write(directory.resolve(REPORT), report);
        List<ArtifactEntry> artifacts = new ArrayList<>();
        artifacts.add(ArtifactEntry.of(REPORT, ArtifactFormat.REPORT, Optional.empty(), Sha256.of(report), "yolofleet", "test"));
        byte[] first = null;
        for (OnnxExportOptions.Precision precision : precisions) {
            byte[] onnx = new OnnxExporter(OnnxExportOptions.DEFAULTS.withPrecision(precision)).export(spec, weights, classes, "test");
            boolean half = precision == OnnxExportOptions.Precision.FLOAT16;
            String name = half ? FP16 : FP32;
            Files.write(directory.resolve(name), onnx);
            artifacts.add(ArtifactEntry.of(name, half ? ArtifactFormat.ONNX_FP16 : ArtifactFormat.ONNX_FP32,
                    Optional.of(half ? DeviceTarget.NCS2 : DeviceTarget.CPU), Sha256.of(onnx), "yolofleet", "test"));
            first = first == null ? onnx : first;
        }
        DecodeSpec decode = DecodeSpec.from(spec, classes, DecodeThresholds.DARKNET);
        ReleaseMetrics metrics = new ReleaseMetrics(0.5, 0.4, 0.38, OptionalDouble.empty(),
                classes.stream().map(className -> new ClassMetrics(className, OptionalDouble.of(0.4), OptionalDouble.of(0.38))).toList());
        ReleaseManifest manifest = new ReleaseManifest(MODEL, "v" + seed, seed, Instant.parse("2026-12-06T20:00:00Z"), "run-test", "data-test",
                Optional.empty(), "test", false, decode, metrics, artifacts, List.of());
        byte[] manifestJson = manifest.toJson();
        Files.write(directory.resolve(ReleaseLayout.MANIFEST), manifestJson);
        Files.write(directory.resolve(ReleaseLayout.SIGNATURE), new ManifestSigner(SigningKeys.generate().getPrivate()).sign(manifestJson).toJson());
        return new Written(directory, manifest, first);
    }
}

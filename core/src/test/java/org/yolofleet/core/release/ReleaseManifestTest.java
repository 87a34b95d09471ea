package org.yolofleet.core.release;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.yolofleet.core.release.ReleaseFixtures.bytes;
import static org.yolofleet.core.release.ReleaseFixtures.text;

class ReleaseManifestTest {
    private static final ArtifactEntry ONNX = new ArtifactEntry("model.onnx", ArtifactFormat.ONNX_FP32, Optional.of(DeviceTarget.CPU),
            "a".repeat(64), 63_500_000L, "yolofleet", "0.1.0");
    private static final ArtifactEntry REPORT = new ArtifactEntry("report.html", ArtifactFormat.REPORT, Optional.empty(),
            "0123456789abcdef".repeat(4), 12_345L, "yolofleet", "0.1.0");

    @Test
    void roundTripsThroughJson() {
        ReleaseManifest manifest = ReleaseFixtures.manifest("v7", 7, List.of(ONNX, REPORT));
        ReleaseManifest read = ReleaseManifest.fromJson(manifest.toJson());
        assertThat(read).isEqualTo(manifest);
        assertThat(read.artifact("report.html")).contains(REPORT);
        assertThat(read.missingArtifacts()).singleElement()
                .satisfies(missing -> assertThat(missing.target()).contains(DeviceTarget.NCS));
        assertThat(read.metrics().classes().get(ReleaseFixtures.VOC_CLASSES.indexOf("sofa")).averagePrecisionArea()).isEmpty();
    }

    @Test
    void theFirstReleaseAndAForcedOneRoundTrip() {
        ReleaseManifest manifest = ReleaseFixtures.manifest("v1", 1, List.of());
        ReleaseManifest first = new ReleaseManifest(manifest.model(), manifest.version(), 1, manifest.createdAt(), manifest.trainingRunId(),
                manifest.datasetVersion(), Optional.empty(), manifest.projectVersion(), true, manifest.decode(), manifest.metrics(), List.of(), List.of());
        assertThat(ReleaseManifest.fromJson(first.toJson())).isEqualTo(first);
        assertThat(text(first.toJson())).contains("\"parentVersion\": null", "\"forced\": true");
    }

    @Test
    void writesCanonicalBytes() {
        ReleaseManifest manifest = ReleaseFixtures.manifest("v7", 7, List.of(ONNX, REPORT));
        byte[] json = manifest.toJson();
        // the same record built again, and the record read back, give the same bytes
        assertThat(ReleaseFixtures.manifest("v7", 7, List.of(ONNX, REPORT)).toJson()).isEqualTo(json);
        assertThat(ReleaseManifest.fromJson(json).toJson()).isEqualTo(json);
        String text = text(json);
        assertThat(text).startsWith("{\n  \"schemaVersion\": 1,\n  \"model\": \"voc-tiny\",\n  \"version\": \"v7\",\n  \"sequence\": 7,\n")
                .endsWith("}\n")
                .doesNotContain("\r");
        assertThat(text.indexOf("\"decode\"")).isLessThan(text.indexOf("\"metrics\""));
        assertThat(text.indexOf("\"metrics\"")).isLessThan(text.indexOf("\"artifacts\""));
        assertThat(text.indexOf("\"artifacts\"")).isLessThan(text.indexOf("\"missingArtifacts\""));
    }

    @Test
    void refusesAnotherSchemaVersionNamingTheOneItSupports() {
        String json = text(ReleaseFixtures.manifest("v7", 7, List.of(ONNX)).toJson()).replace("\"schemaVersion\": 1,\n  \"model\"", "\"schemaVersion\": 2,\n  \"model\"");
        assertThatThrownBy(() -> ReleaseManifest.fromJson(bytes(json)))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_RELEASE))
                .hasMessageContaining("schemaVersion' is 2")
                .hasMessageContaining("supports manifest schema version 1 only");
    }

    @Test
    void namesAMissingField() {
        String json = text(ReleaseFixtures.manifest("v7", 7, List.of(ONNX)).toJson()).replaceFirst("\\s*\"sha256\": \"a{64}\",", "");
        assertThatThrownBy(() -> ReleaseManifest.fromJson(bytes(json)))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_RELEASE))
                .hasMessageContaining("required field 'artifacts[0].sha256' is missing");
        String noTrainingRun = text(ReleaseFixtures.manifest("v7", 7, List.of()).toJson()).replaceFirst("\\s*\"trainingRunId\": \"[^\"]*\",", "");
        assertThatThrownBy(() -> ReleaseManifest.fromJson(bytes(noTrainingRun))).hasMessageContaining("'trainingRunId' is missing");
    }

    @Test
    void refusesUnknownFieldsAndBadValues() {
        String json = text(ReleaseFixtures.manifest("v7", 7, List.of(ONNX)).toJson());
        assertThatThrownBy(() -> ReleaseManifest.fromJson(bytes(json.replace("\"forced\": false", "\"forced\": false, \"colour\": \"blue\""))))
                .hasMessageContaining("unknown field [colour]");
        assertThatThrownBy(() -> ReleaseManifest.fromJson(bytes(json.replace("\"format\": \"onnx-fp32\"", "\"format\": \"onnx-fp64\""))))
                .hasMessageContaining("artifacts[0].format")
                .hasMessageContaining("onnx-fp32, onnx-fp16, tf-frozen-graph");
        assertThatThrownBy(() -> ReleaseManifest.fromJson(bytes(json.replace("\"sequence\": 7", "\"sequence\": 0"))))
                .hasMessageContaining("sequence must be at least 1");
        assertThatThrownBy(() -> ReleaseManifest.fromJson(bytes(json.replace("\"sequence\": 7", "\"sequence\": \"7\""))))
                .hasMessageContaining("'sequence' must be a whole number");
        assertThatThrownBy(() -> ReleaseManifest.fromJson(bytes(json.replace("\"model\": \"voc-tiny\"", "\"model\": \"../etc\""))))
                .hasMessageContaining("model '../etc' must be a safe path segment");
        assertThatThrownBy(() -> ReleaseManifest.fromJson(bytes(json + "{}"))).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ReleaseManifest.fromJson(bytes(json.replaceFirst("\"model\": \"voc-tiny\",", "\"model\": \"voc-tiny\", \"model\": \"x\","))))
                .hasMessageContaining("Duplicate field 'model'");
    }

    @Test
    void formatsAndTargetsHaveStableDistinctNames() {
        assertThat(Arrays.stream(ArtifactFormat.values()).map(ArtifactFormat::key)).containsExactly("onnx-fp32", "onnx-fp16", "tf-frozen-graph",
                "darknet-cfg", "darknet-weights", "ncs-graph", "myriad-blob", "decode-spec", "report", "model-card");
        assertThat(Arrays.stream(DeviceTarget.values()).map(DeviceTarget::key)).containsExactly("ncs", "ncs2", "oak", "cpu");
        for (ArtifactFormat format : ArtifactFormat.values()) {
            assertThat(ArtifactFormat.ofKey(format.key())).isEqualTo(format);
        }
        for (DeviceTarget target : DeviceTarget.values()) {
            assertThat(DeviceTarget.ofKey(target.key())).isEqualTo(target);
        }
        assertThatThrownBy(() -> DeviceTarget.ofKey("NCS")).hasMessageContaining("is not one of ncs, ncs2, oak, cpu");
    }

    @Test
    void aDocumentIsVerifiedLikeEveryArtifactButNeverHasADeviceTarget() {
        ArtifactEntry card = new ArtifactEntry("report.html", ArtifactFormat.MODEL_CARD, Optional.empty(), "b".repeat(64), 400_000L, "yolofleet",
                "0.1.0");
        ReleaseManifest manifest = ReleaseFixtures.manifest("v7", 7, List.of(ONNX, card));
        assertThat(ReleaseManifest.fromJson(manifest.toJson()).artifact("report.html")).contains(card);
        assertThat(Arrays.stream(ArtifactFormat.values()).filter(ArtifactFormat::document))
                .containsExactly(ArtifactFormat.REPORT, ArtifactFormat.MODEL_CARD);

        assertThatThrownBy(() -> new ArtifactEntry("report.html", ArtifactFormat.MODEL_CARD, Optional.of(DeviceTarget.CPU), "b".repeat(64), 1L,
                "yolofleet", "0.1.0")).hasMessageContaining("cannot have the device target cpu");
        // a manifest that offers a device a document is refused as it is read
        String json = text(manifest.toJson()).replaceFirst("(\"format\": \"model-card\",\\s*\"target\": )null", "$1\"cpu\"");
        assertThat(json).isNotEqualTo(text(manifest.toJson()));
        assertThatThrownBy(() -> ReleaseManifest.fromJson(bytes(json)))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_RELEASE))
                .hasMessageContaining("artifacts[1]")
                .hasMessageContaining("report.html is a model-card, a document for people");
    }

    @Test
    void refusesDuplicateArtifactNamesAndMetricsOfOtherClasses() {
        assertThatThrownBy(() -> ReleaseFixtures.manifest("v7", 7, List.of(ONNX, ONNX))).hasMessageContaining("'model.onnx' appears twice");
        ReleaseManifest manifest = ReleaseFixtures.manifest("v7", 7, List.of());
        ReleaseMetrics fewer = new ReleaseMetrics(0.5, 0.5, 0.5, OptionalDouble.empty(), manifest.metrics().classes().subList(0, 19));
        assertThatThrownBy(() -> new ReleaseManifest(manifest.model(), "v8", 8, manifest.createdAt(), "r", "d", Optional.empty(), "p", false,
                manifest.decode(), fewer, List.of(), List.of())).hasMessageContaining("metrics classes");
    }
}

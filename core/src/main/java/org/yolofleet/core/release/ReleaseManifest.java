package org.yolofleet.core.release;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.model.Anchor;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What a release is, signed: {@code releases/<model>/<version>/manifest.json}. It names the model and version, a
 * {@code sequence} that grows with every release of the model (a device never installs a lower one unless told to roll
 * back), where the model came from (training run, dataset version, parent release, yolofleet version), how to feed and
 * decode it ({@link DecodeSpec}: input, preprocessing, anchors, classes, thresholds), how good it is
 * ({@link ReleaseMetrics}), every artifact with its size and SHA-256, every artifact that was not produced and why, and
 * whether {@code publish --force} overrode a failed gate.
 *
 * <p>{@link #toJson()} gives canonical bytes (fixed field order, UTF-8; see {@link ReleaseJson}); the signature covers
 * exactly those bytes, and a device verifies the bytes it downloaded before it parses them. {@link #fromJson} is strict:
 * another schema version, a missing or unknown field, or a value out of range is {@link ErrorCode#BAD_RELEASE} naming it.
 *
 * @param model the model's name, a safe path segment
 * @param version this release's version, a safe path segment
 * @param sequence at least 1, strictly greater than every earlier release of the model
 * @param createdAt when publish wrote the release
 * @param trainingRunId the training run the weights come from
 * @param datasetVersion the prepared dataset they were trained and validated on
 * @param parentVersion the release this one follows; empty for the first
 * @param projectVersion the yolofleet version that published it
 * @param forced whether {@code publish --force} published it despite a failed gate
 * @param decode how to feed the model and decode its output
 * @param metrics validation metrics
 * @param artifacts the release's files, names unique
 * @param missingArtifacts the artifacts not produced, with the reason
 */
public record ReleaseManifest(String model, String version, long sequence, Instant createdAt, String trainingRunId, String datasetVersion,
                              Optional<String> parentVersion, String projectVersion, boolean forced, DecodeSpec decode, ReleaseMetrics metrics,
                              List<ArtifactEntry> artifacts, List<MissingArtifact> missingArtifacts) {
    /** The version of the manifest format; a reader refuses any other. */
    public static final int SCHEMA_VERSION = 1;

    public ReleaseManifest {
        requireSegment("model", model);
        requireSegment("version", version);
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be at least 1, got " + sequence);
        }
        requireNonNull(createdAt, "createdAt");
        ArtifactEntry.requireText(trainingRunId, "trainingRunId");
        ArtifactEntry.requireText(datasetVersion, "datasetVersion");
        requireNonNull(parentVersion, "parentVersion");
        parentVersion.ifPresent(parent -> {
            requireSegment("parentVersion", parent);
            if (parent.equals(version)) {
                throw new IllegalArgumentException("parentVersion must differ from version " + version);
            }
        });
        ArtifactEntry.requireText(projectVersion, "projectVersion");
        requireNonNull(decode, "decode");
        requireNonNull(metrics, "metrics");
        artifacts = List.copyOf(requireNonNull(artifacts, "artifacts"));
        missingArtifacts = List.copyOf(requireNonNull(missingArtifacts, "missingArtifacts"));
        Set<String> names = new HashSet<>();
        for (ArtifactEntry artifact : artifacts) {
            if (!names.add(artifact.name())) {
                throw new IllegalArgumentException("artifact name '" + artifact.name() + "' appears twice");
            }
        }
        List<String> metricClasses = metrics.classes().stream().map(ClassMetrics::className).toList();
        if (!metricClasses.equals(decode.classes())) {
            throw new IllegalArgumentException("metrics classes " + metricClasses + " differ from the decode spec's " + decode.classes());
        }
    }

    private static void requireSegment(String what, String value) {
        if (!ReleaseLayout.isSafeSegment(value)) {
            throw new IllegalArgumentException(what + " '" + value + "' must be a safe path segment: letters, digits, '.', '_', '-'");
        }
    }

    public List<String> classes() {
        return decode.classes();
    }

    public List<Anchor> anchors() {
        return decode.anchors();
    }

    /** The artifact of that name, if the release holds one. */
    public Optional<ArtifactEntry> artifact(String name) {
        return artifacts.stream().filter(artifact -> artifact.name().equals(name)).findFirst();
    }

    /** The canonical bytes that are signed and uploaded as {@value ReleaseLayout#MANIFEST}. */
    public byte[] toJson() {
        ObjectNode json = ReleaseJson.object();
        json.put("schemaVersion", SCHEMA_VERSION);
        json.put("model", model);
        json.put("version", version);
        json.put("sequence", sequence);
        json.put("createdAt", createdAt.toString());
        json.put("trainingRunId", trainingRunId);
        json.put("datasetVersion", datasetVersion);
        json.put("parentVersion", parentVersion.orElse(null));
        json.put("projectVersion", projectVersion);
        json.put("forced", forced);
        decode.write(json.putObject("decode"));
        metrics.write(json.putObject("metrics"));
        ArrayNode artifactArray = json.putArray("artifacts");
        artifacts.forEach(artifact -> artifact.write(artifactArray.addObject()));
        ArrayNode missingArray = json.putArray("missingArtifacts");
        missingArtifacts.forEach(missing -> missing.write(missingArray.addObject()));
        return ReleaseJson.write(json);
    }

    /** Reads {@link #toJson()}'s bytes strictly; {@link ErrorCode#BAD_RELEASE} naming the field or the supported version. */
    public static ReleaseManifest fromJson(byte[] json) {
        JsonFields fields = ReleaseJson.read(json, ReleaseLayout.MANIFEST);
        int schemaVersion = fields.integer("schemaVersion");
        if (schemaVersion != SCHEMA_VERSION) {
            throw fields.bad("schemaVersion", "is " + schemaVersion + ", this reader supports manifest schema version " + SCHEMA_VERSION
                    + " only; update yolofleet (the device agent) to read this release");
        }
        String model = fields.text("model");
        String version = fields.text("version");
        long sequence = fields.longInteger("sequence");
        Instant createdAt = fields.instant("createdAt");
        String trainingRunId = fields.text("trainingRunId");
        String datasetVersion = fields.text("datasetVersion");
        Optional<String> parentVersion = fields.optionalText("parentVersion");
        String projectVersion = fields.text("projectVersion");
        boolean forced = fields.bool("forced");
        DecodeSpec decode = DecodeSpec.read(fields.object("decode"));
        ReleaseMetrics metrics = ReleaseMetrics.read(fields.object("metrics"));
        List<ArtifactEntry> artifacts = fields.objects("artifacts").stream().map(ArtifactEntry::read).toList();
        List<MissingArtifact> missingArtifacts = fields.objects("missingArtifacts").stream().map(MissingArtifact::read).toList();
        return fields.build(() -> new ReleaseManifest(model, version, sequence, createdAt, trainingRunId, datasetVersion, parentVersion,
                projectVersion, forced, decode, metrics, artifacts, missingArtifacts));
    }
}

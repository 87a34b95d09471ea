package org.yolofleet.publish;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.DeviceTarget;
import org.yolofleet.core.release.MissingArtifact;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.ReleaseMetrics;
import org.yolofleet.core.release.Sha256;
import org.yolofleet.publish.compile.CompileOutcome;
import org.yolofleet.publish.compile.Target;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * The manifest of a release from what the publish stage made: every export and produced compiler artifact (and its
 * log) with size and SHA-256, every compiler artifact not produced with the reason, the FP32 export's val metrics and
 * the FP16 export's mAP, where the model came from.
 *
 * @param producer        what wrote the exports ({@code yolofleet})
 * @param projectVersion  its version
 */
record ManifestBuilder(String producer, String projectVersion) {
    ManifestBuilder {
        requireNonNull(producer, "producer");
        requireNonNull(projectVersion, "projectVersion");
    }

    ReleaseManifest build(PublishConfig config, ReleaseCandidate candidate, String version, long sequence, Instant createdAt,
                          Optional<String> parent, ModelExports exports, Faithfulness.Report faithful, List<CompileOutcome> compiled,
                          boolean forced) {
        List<ArtifactEntry> artifacts = new ArrayList<>();
        for (ModelExports.File file : ModelExports.FILES) {
            artifacts.add(entry(exports.path(file.name()), file.name(), file.format(), file.target(), producer, projectVersion));
        }
        List<MissingArtifact> missing = new ArrayList<>();
        for (CompileOutcome outcome : compiled) {
            ArtifactFormat format = outcome.target() == Target.NCS ? ArtifactFormat.NCS_GRAPH : ArtifactFormat.MYRIAD_BLOB;
            Optional<DeviceTarget> target = Optional.of(DeviceTarget.valueOf(outcome.target().name()));
            if (outcome.produced()) {
                artifacts.add(entry(outcome.output().orElseThrow(), outcome.artifact(), format, target, outcome.compiler(),
                        outcome.toolVersion().orElse("unknown")));
            } else {
                missing.add(new MissingArtifact(format, target, outcome.compiler() + ": " + outcome.reason()));
            }
            outcome.log().ifPresent(log -> artifacts.add(entry(log, log.getFileName().toString(), ArtifactFormat.REPORT, Optional.empty(), producer,
                    projectVersion)));
        }
        String dataset = candidate.valSplit().datasetVersion().isEmpty() ? "unrecorded" : candidate.valSplit().datasetVersion();
        return new ReleaseManifest(config.model(), version, sequence, createdAt, candidate.run().runId(), dataset, parent.filter(p -> !p.equals(version)),
                projectVersion, forced, exports.decode(), ReleaseMetrics.of(faithful.fp32(), candidate.model().classNames(),
                OptionalDouble.of(faithful.fp16Map())), artifacts, missing);
    }

    /**
     * {@code manifest} with one more artifact: {@code file}, a document for people ({@link ArtifactFormat#document()}), listed
     * with its size and SHA-256 and no device target. The model card is written from the manifest of every other file, so
     * it joins the manifest last.
     */
    ReleaseManifest withDocument(ReleaseManifest manifest, Path file, ArtifactFormat format) {
        if (!format.document()) {
            throw new IllegalArgumentException(format.key() + " is not a document format");
        }
        List<ArtifactEntry> artifacts = new ArrayList<>(manifest.artifacts());
        artifacts.add(entry(file, file.getFileName().toString(), format, Optional.empty(), producer, projectVersion));
        return new ReleaseManifest(manifest.model(), manifest.version(), manifest.sequence(), manifest.createdAt(), manifest.trainingRunId(),
                manifest.datasetVersion(), manifest.parentVersion(), manifest.projectVersion(), manifest.forced(), manifest.decode(),
                manifest.metrics(), artifacts, manifest.missingArtifacts());
    }

    private static ArtifactEntry entry(Path file, String name, ArtifactFormat format, Optional<DeviceTarget> target, String producer,
                                       String producerVersion) {
        try (InputStream input = Files.newInputStream(file)) {
            return ArtifactEntry.of(name, format, target, Sha256.of(input), producer, producerVersion);
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read the artifact " + file + ": " + failure.getMessage(), failure);
        }
    }
}

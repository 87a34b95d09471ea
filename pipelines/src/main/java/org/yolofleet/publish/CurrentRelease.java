package org.yolofleet.publish;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.ChannelPointer;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.Sha256;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.OnnxRuntimeDetector;
import org.yolofleet.publish.store.ReleaseStore;
import org.yolofleet.publish.store.StoreReleaseReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The release a channel points at now, scored for the regression gate: verified first (signature and every artifact,
 * as a device would), then its FP32 ONNX export run in ONNX Runtime on tonight's val split.
 */
final class CurrentRelease {
    private CurrentRelease() {
    }

    static RegressionGate.Current score(ReleaseStore store, TrustedKeys trusted, ChannelPointer pointer, ValSplit split, ModelScoring scoring,
                                        Path work, int threads) {
        VerifiedRelease release = new ReleaseVerifier(trusted).verify(new StoreReleaseReader(store), pointer.model(), pointer.version());
        ArtifactEntry entry = release.manifest().artifacts().stream().filter(artifact -> artifact.format() == ArtifactFormat.ONNX_FP32).findFirst()
                .orElseThrow(() -> new YoloFleetException(ErrorCode.BAD_RELEASE, "release " + pointer.version() + " has no "
                        + ArtifactFormat.ONNX_FP32.key() + " artifact to score it with"));
        String onnx = entry.name();
        Path local = work.resolve("current-" + onnx);
        try (InputStream input = store.open(ReleaseLayout.artifact(pointer.model(), pointer.version(), onnx))) {
            Files.copy(input, local, StandardCopyOption.REPLACE_EXISTING);
            // the copy scored is the copy verified: checked again, as it was read a second time
            try (InputStream copy = Files.newInputStream(local)) {
                if (!Sha256.of(copy).hex().equals(entry.sha256())) {
                    throw new YoloFleetException(ErrorCode.RELEASE_TAMPERED, "release " + pointer.version() + "'s " + onnx
                            + " changed between its verification and its download");
                }
            }
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot copy release " + pointer.version() + "'s " + onnx + ": " + failure.getMessage(), failure);
        }
        try (Detector detector = OnnxRuntimeDetector.open(local, Optional.of(release.manifest().classes()), threads)) {
            return new RegressionGate.Current(pointer.version(), release.manifest().classes(), scoring.evaluate(detector, split));
        }
    }
}

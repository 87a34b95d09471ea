package org.yolofleet.device.config;

import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.DeviceTarget;
import org.yolofleet.core.release.ReleaseManifest;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What runs the model on a device, and so which artifact of a release it installs: the first of {@link #preferences()}
 * the manifest lists. {@code ncs}: the NCSDK graph; {@code ncs2}: the OpenVINO blob, else the FP16 ONNX; {@code oak}:
 * the blob built for the OAK; {@code cpu}: the FP32 ONNX for ONNX Runtime.
 */
public enum Profile {
    NCS(List.of(new Wanted(ArtifactFormat.NCS_GRAPH, Optional.of(DeviceTarget.NCS)), new Wanted(ArtifactFormat.NCS_GRAPH, Optional.empty()))),
    NCS2(List.of(new Wanted(ArtifactFormat.MYRIAD_BLOB, Optional.of(DeviceTarget.NCS2)), new Wanted(ArtifactFormat.ONNX_FP16, Optional.empty()))),
    OAK(List.of(new Wanted(ArtifactFormat.MYRIAD_BLOB, Optional.of(DeviceTarget.OAK)))),
    CPU(List.of(new Wanted(ArtifactFormat.ONNX_FP32, Optional.empty())));

    /**
     * An artifact format, and the target it must be built for; an empty target accepts any (the FP16 ONNX runs wherever
     * ONNX does, whatever target publish names).
     */
    public record Wanted(ArtifactFormat format, Optional<DeviceTarget> target) {
        boolean matches(ArtifactEntry artifact) {
            return artifact.format() == format && (target.isEmpty() || artifact.target().equals(target));
        }

        @Override
        public String toString() {
            return format.key() + target.map(device -> " for " + device.key()).orElse("");
        }
    }

    private final List<Wanted> preferences;

    Profile(List<Wanted> preferences) {
        this.preferences = preferences;
    }

    /** What this profile installs, best first. */
    public List<Wanted> preferences() {
        return preferences;
    }

    /** The name in device.conf. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The artifact this profile runs from the release; empty when the release has none for it. */
    public Optional<ArtifactEntry> modelArtifact(ReleaseManifest manifest) {
        for (Wanted wanted : preferences) {
            Optional<ArtifactEntry> found = manifest.artifacts().stream().filter(wanted::matches).findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The profile of a device.conf name; {@link IllegalArgumentException} listing the known names otherwise. */
    public static Profile ofKey(String key) {
        for (Profile profile : values()) {
            if (profile.key().equals(key)) {
                return profile;
            }
        }
        throw new IllegalArgumentException("profile '" + key + "' is not one of "
                + Arrays.stream(values()).map(Profile::key).collect(Collectors.joining(", ")));
    }
}

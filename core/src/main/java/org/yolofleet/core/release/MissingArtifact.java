package org.yolofleet.core.release;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An artifact a release does not hold, and why, so a device (and whoever reads the manifest) can tell "not built here"
 * from "lost": {@code {format: "ncs-graph", target: "ncs", reason: "mvNCCompile not installed (publish.compilers.ncsdk)"}}.
 *
 * @param format the format that was not produced
 * @param target the device it would have been for; empty when none
 * @param reason why not, naming the tool or setting to change
 */
public record MissingArtifact(ArtifactFormat format, Optional<DeviceTarget> target, String reason) {
    public MissingArtifact {
        requireNonNull(format, "format");
        requireNonNull(target, "target");
        ArtifactEntry.requireText(reason, "reason");
    }

    void write(ObjectNode json) {
        json.put("format", format.key());
        json.put("target", target.map(DeviceTarget::key).orElse(null));
        json.put("reason", reason);
    }

    static MissingArtifact read(JsonFields json) {
        ArtifactFormat format = json.parsed("format", ArtifactFormat::ofKey);
        Optional<DeviceTarget> target = json.optionalParsed("target", DeviceTarget::ofKey);
        String reason = json.text("reason");
        return json.build(() -> new MissingArtifact(format, target, reason));
    }
}

package org.yolofleet.core.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yolofleet.core.error.ErrorCode;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code channels/<model>/<channel>.json}: the release a channel ({@code stable}, {@code canary}, ...) serves, written
 * after the release's files so a device never follows it to a half-uploaded release. It is not signed: it names the
 * SHA-256 of the signed manifest, which the device checks ({@link ReleaseVerifier#verifyChannel}), so it can only point
 * at a genuine release. {@code previousVersion} is the version it replaced, what a rollback returns to.
 *
 * @param model the model, a safe path segment
 * @param channel the channel, a safe path segment
 * @param version the release served
 * @param sequence that release's sequence
 * @param manifestSha256 the SHA-256 of that release's {@code manifest.json} bytes
 * @param updatedAt when the pointer was written
 * @param previousVersion the version served before; empty for a new channel
 */
public record ChannelPointer(String model, String channel, String version, long sequence, String manifestSha256, Instant updatedAt,
                             Optional<String> previousVersion) {
    /** The version of this JSON format; a reader refuses any other. */
    public static final int SCHEMA_VERSION = 1;

    public ChannelPointer {
        for (String segment : new String[] {model, channel, version}) {
            if (!ReleaseLayout.isSafeSegment(segment)) {
                throw new IllegalArgumentException("model, channel and version must be safe path segments, got '" + segment + "'");
            }
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be at least 1, got " + sequence);
        }
        Sha256.requireHex(manifestSha256, "manifestSha256");
        requireNonNull(updatedAt, "updatedAt");
        requireNonNull(previousVersion, "previousVersion");
        previousVersion.ifPresent(previous -> {
            if (!ReleaseLayout.isSafeSegment(previous)) {
                throw new IllegalArgumentException("previousVersion must be a safe path segment, got '" + previous + "'");
            }
        });
    }

    /** The pointer to a release whose manifest has the given bytes, replacing {@code previous} (if the channel had one). */
    public static ChannelPointer to(ReleaseManifest manifest, byte[] manifestJson, String channel, Instant updatedAt,
                                    Optional<ChannelPointer> previous) {
        requireNonNull(manifest, "manifest");
        requireNonNull(previous, "previous");
        return new ChannelPointer(manifest.model(), channel, manifest.version(), manifest.sequence(), Sha256.of(manifestJson).hex(),
                updatedAt, previous.map(ChannelPointer::version));
    }

    public byte[] toJson() {
        ObjectNode json = ReleaseJson.object();
        json.put("schemaVersion", SCHEMA_VERSION);
        json.put("model", model);
        json.put("channel", channel);
        json.put("version", version);
        json.put("sequence", sequence);
        json.put("manifestSha256", manifestSha256);
        json.put("updatedAt", updatedAt.toString());
        json.put("previousVersion", previousVersion.orElse(null));
        return ReleaseJson.write(json);
    }

    /** Reads {@link #toJson()}'s bytes strictly; {@link ErrorCode#BAD_RELEASE} naming the field or the supported version. */
    public static ChannelPointer fromJson(byte[] json) {
        JsonFields fields = ReleaseJson.read(json, "channel pointer");
        int schemaVersion = fields.integer("schemaVersion");
        if (schemaVersion != SCHEMA_VERSION) {
            throw fields.bad("schemaVersion", "is " + schemaVersion + ", this reader supports channel pointer schema version "
                    + SCHEMA_VERSION + " only; update yolofleet");
        }
        String model = fields.text("model");
        String channel = fields.text("channel");
        String version = fields.text("version");
        long sequence = fields.longInteger("sequence");
        String manifestSha256 = fields.text("manifestSha256");
        Instant updatedAt = fields.instant("updatedAt");
        Optional<String> previousVersion = fields.optionalText("previousVersion");
        return fields.build(() -> new ChannelPointer(model, channel, version, sequence, manifestSha256, updatedAt, previousVersion));
    }
}

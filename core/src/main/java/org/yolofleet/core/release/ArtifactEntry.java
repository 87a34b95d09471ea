package org.yolofleet.core.release;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One file of a release, as its manifest lists it: a device checks the size and SHA-256 before it loads the file.
 *
 * @param name the file name inside the release directory, a safe path segment ({@link ReleaseLayout#requireArtifactName})
 * @param format what the file is
 * @param target the device it is built for; empty for files that run nowhere (a cfg, the decode spec), and always empty for a
 *               {@link ArtifactFormat#document() document} (a report, the model card), which no device loads
 * @param sha256 the SHA-256 of the file's bytes, 64 lower-case hex digits
 * @param size the file's size in bytes
 * @param producer the tool that wrote it ({@code yolofleet}, {@code mvNCCompile}, {@code compile_tool}, ...)
 * @param producerVersion that tool's version
 */
public record ArtifactEntry(String name, ArtifactFormat format, Optional<DeviceTarget> target, String sha256, long size, String producer,
                            String producerVersion) {
    public ArtifactEntry {
        if (!ReleaseLayout.isSafeSegment(name) || name.equals(ReleaseLayout.MANIFEST) || name.equals(ReleaseLayout.SIGNATURE)) {
            throw new IllegalArgumentException("artifact name '" + name + "' must be a safe path segment other than "
                    + ReleaseLayout.MANIFEST + " and " + ReleaseLayout.SIGNATURE);
        }
        requireNonNull(format, "format");
        requireNonNull(target, "target");
        if (format.document() && target.isPresent()) {
            throw new IllegalArgumentException("artifact " + name + " is a " + format.key() + ", a document for people, and cannot have the device target "
                    + target.get().key() + ": devices must never load it");
        }
        Sha256.requireHex(sha256, "artifact " + name + " sha256");
        if (size < 0) {
            throw new IllegalArgumentException("artifact " + name + " size must not be negative, got " + size);
        }
        requireText(producer, "producer");
        requireText(producerVersion, "producerVersion");
    }

    /** The entry of a file of the given digest. */
    public static ArtifactEntry of(String name, ArtifactFormat format, Optional<DeviceTarget> target, Sha256 digest, String producer,
                                   String producerVersion) {
        requireNonNull(digest, "digest");
        return new ArtifactEntry(name, format, target, digest.hex(), digest.size(), producer, producerVersion);
    }

    static void requireText(String value, String what) {
        requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    void write(ObjectNode json) {
        json.put("name", name);
        json.put("format", format.key());
        json.put("target", target.map(DeviceTarget::key).orElse(null));
        json.put("size", size);
        json.put("sha256", sha256);
        json.put("producer", producer);
        json.put("producerVersion", producerVersion);
    }

    static ArtifactEntry read(JsonFields json) {
        String name = json.text("name");
        ArtifactFormat format = json.parsed("format", ArtifactFormat::ofKey);
        Optional<DeviceTarget> target = json.optionalParsed("target", DeviceTarget::ofKey);
        long size = json.longInteger("size");
        String sha256 = json.text("sha256");
        String producer = json.text("producer");
        String producerVersion = json.text("producerVersion");
        return json.build(() -> new ArtifactEntry(name, format, target, sha256, size, producer, producerVersion));
    }
}

package org.yolofleet.device.install;

import org.yolofleet.core.release.ReleaseManifest;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * A release installed under {@code releases/<version>/}: its directory and its manifest (read, not verified; the verify
 * command and sync verify the signature and files).
 *
 * @param version the directory's name, the release's version
 * @param directory {@code <install-dir>/releases/<version>}
 * @param manifest the parsed {@code manifest.json}
 */
public record InstalledRelease(String version, Path directory, ReleaseManifest manifest) {
    public InstalledRelease {
        requireNonNull(version, "version");
        requireNonNull(directory, "directory");
        requireNonNull(manifest, "manifest");
    }

    public long sequence() {
        return manifest.sequence();
    }
}

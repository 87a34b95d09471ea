package org.yolofleet.core.release;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;

/**
 * Reads a release root's files by their {@link ReleaseLayout} paths ({@code releases/m/v/manifest.json}): a directory
 * ({@link FileReleaseReader}), an S3 prefix, an HTTP mirror. The verifier streams what it opens, so an implementation
 * should not buffer whole files.
 */
@FunctionalInterface
public interface ReleaseReader {
    /**
     * Opens a file for reading; the caller closes the stream.
     *
     * @param relativePath a path of {@link ReleaseLayout}, {@code /}-separated
     * @throws NoSuchFileException (or {@link java.io.FileNotFoundException}) when there is no such file, so a verifier can
     *         tell a missing file from a failed read
     * @throws IOException when the read fails
     */
    InputStream open(String relativePath) throws IOException;
}

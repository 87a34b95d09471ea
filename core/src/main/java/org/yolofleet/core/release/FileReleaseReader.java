package org.yolofleet.core.release;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/** Reads a release root on local disk: {@code root/releases/...} and {@code root/channels/...}. */
public final class FileReleaseReader implements ReleaseReader {
    private final Path root;

    public FileReleaseReader(Path root) {
        this.root = requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The file of a relative path; {@link IllegalArgumentException} for a path that leaves the root. */
    public Path resolve(String relativePath) {
        requireNonNull(relativePath, "relativePath");
        Path file = root.resolve(relativePath).normalize();
        if (relativePath.startsWith("/") || Path.of(relativePath).isAbsolute() || !file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("release path '" + relativePath + "' is not a file under " + root);
        }
        return file;
    }

    @Override
    public InputStream open(String relativePath) throws IOException {
        Path file = resolve(relativePath);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return Files.newInputStream(file);
    }
}

package org.yolofleet.device.source;

import org.yolofleet.core.release.FileReleaseReader;
import org.yolofleet.core.release.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A release store in a local directory ({@code file:}): a mounted share, a USB stick, a test. The ETag of an object is the
 * quoted SHA-256 of its bytes, so "not modified" means the same content, whatever the file's time stamps.
 */
public final class FileReleaseSource implements ReleaseSource {
    private final FileReleaseReader root;

    public FileReleaseSource(Path root) {
        this.root = new FileReleaseReader(requireNonNull(root, "root"));
    }

    @Override
    public ConditionalResponse getIfChanged(String path, Optional<String> ifNoneMatch) throws IOException {
        byte[] body = Files.readAllBytes(existing(path));
        Optional<String> etag = Optional.of("\"" + Sha256.of(body).hex() + "\"");
        return etag.equals(ifNoneMatch) ? ConditionalResponse.notModified(etag) : ConditionalResponse.modified(body, etag);
    }

    @Override
    public InputStream open(String path, long offset) throws IOException {
        FileChannel channel = FileChannel.open(existing(path), StandardOpenOption.READ);
        channel.position(offset);
        return Channels.newInputStream(channel);
    }

    @Override
    public long size(String path) throws IOException {
        return Files.size(existing(path));
    }

    @Override
    public String describe(String path) {
        return root.resolve(path).toUri().toString();
    }

    private Path existing(String path) throws NoSuchFileException {
        Path file = root.resolve(path);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return file;
    }
}

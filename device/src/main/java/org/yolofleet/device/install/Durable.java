package org.yolofleet.device.install;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** File operations that survive a power cut: fsync of files and directories, atomic replacement. */
public final class Durable {
    private Durable() {
    }

    /** Flushes a file's bytes (or a directory's entries) to the device. */
    public static void fsync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
        catch (IOException e) {
            // some file systems refuse to open a directory for reading; a file's fsync must not fail silently
            if (!Files.isDirectory(path)) {
                throw e;
            }
        }
    }

    /** Writes {@code bytes} to a temporary file beside {@code target}, fsyncs it, renames it over {@code target}, fsyncs the directory. */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = directory.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsync(directory);
    }
}

package org.yolofleet.publish.store;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A {@link ReleaseStore} in a local directory ({@code file:}; {@code run-local} publishes to work-local/releases).
 *
 * <p>Guarantees: every write goes to a hidden temporary file in the target's directory, is flushed to disk
 * ({@code fsync}) and renamed over the target atomically ({@code ATOMIC_MOVE}), and the directory is flushed, so a
 * reader or a crash sees the old object or the new one, never a part. The ETag is the SHA-256 of the content.
 * {@link #compareAndSet} holds a lock file next to the key ({@code FileChannel.lock}, an OS advisory lock, plus a lock
 * per path within this JVM) while it compares and writes: it is atomic among every writer that goes through this class
 * on the same machine (or a network file system with working POSIX locks); a writer that ignores the lock is not held
 * back. Files whose names start with {@code .yolofleet-} (temporary files, lock files) are not objects: {@link #list}
 * skips them.
 */
public final class LocalReleaseStore implements ReleaseStore {
    static final String HIDDEN = ".yolofleet-";
    private static final ConcurrentHashMap<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final Path root;

    public LocalReleaseStore(Path root) {
        this.root = requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    @Override
    public URI uri() {
        return root.toUri();
    }

    @Override
    public byte[] read(String key) {
        return readIfPresent(key).orElseThrow(() -> missing(key));
    }

    @Override
    public Optional<byte[]> readIfPresent(String key) {
        Path path = path(key);
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (IOException exception) {
            throw failure("cannot read", path, exception);
        }
    }

    @Override
    public InputStream open(String key) {
        Path path = path(key);
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException absent) {
            throw missing(key);
        } catch (IOException exception) {
            throw failure("cannot read", path, exception);
        }
    }

    @Override
    public Optional<StoredObject> stat(String key) {
        Path path = path(key);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try (InputStream input = Files.newInputStream(path)) {
            return Optional.of(new StoredObject(key, Files.size(path), sha256(input)));
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (IOException exception) {
            throw failure("cannot read", path, exception);
        }
    }

    /** Without hashing the content, as {@link #stat} does for the ETag. */
    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(path(key));
    }

    @Override
    public List<String> list(String prefix) {
        Path directory = StoreKeys.checkPrefix(prefix).isEmpty() ? root : root.resolve(prefix);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith(HIDDEN))
                    .map(file -> root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"))
                    .sorted()
                    .toList();
        } catch (IOException exception) {
            throw failure("cannot list", directory, exception);
        }
    }

    @Override
    public void write(String key, byte[] content) {
        requireNonNull(content, "content");
        writeAtomically(path(key), output -> output.write(content));
    }

    @Override
    public void write(String key, InputStream content, long size) {
        requireNonNull(content, "content");
        Path path = path(key);
        writeAtomically(path, output -> {
            long copied = content.transferTo(output);
            if (copied != size) {
                throw new IOException("expected " + size + " bytes, the stream held " + copied);
            }
        });
    }

    @Override
    public void write(String key, Path file) {
        requireNonNull(file, "file");
        writeAtomically(path(key), output -> Files.copy(file, output));
    }

    @Override
    public void delete(String prefix) {
        Path path = path(prefix);
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        } catch (IOException exception) {
            throw failure("cannot delete", path, exception);
        }
    }

    @Override
    public void move(String fromKey, String toKey) {
        Path from = path(fromKey);
        Path to = path(toKey);
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(to.getParent());
        } catch (NoSuchFileException absent) {
            throw missing(fromKey);
        } catch (IOException exception) {
            throw failure("cannot move " + from + " to", to, exception);
        }
    }

    @Override
    public boolean renamePrefixAtomically(String fromPrefix, String toPrefix) {
        Path from = path(fromPrefix);
        Path to = path(toPrefix);
        if (!Files.isDirectory(from) || Files.exists(to)) {
            return false;
        }
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(to.getParent());
            return true;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException cannot) {
            return false;
        } catch (IOException exception) {
            throw failure("cannot move " + from + " to", to, exception);
        }
    }

    @Override
    public ChannelWrite compareAndSet(String key, Optional<String> expectedETag, byte[] content) {
        requireNonNull(expectedETag, "expectedETag");
        requireNonNull(content, "content");
        Path path = path(key);
        Path lockFile = path.resolveSibling(HIDDEN + "lock-" + path.getFileName());
        ReentrantLock processLock = PROCESS_LOCKS.computeIfAbsent(lockFile, ignored -> new ReentrantLock());
        processLock.lock();
        try {
            Files.createDirectories(path.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                Optional<String> current = etag(key);
                if (!current.equals(expectedETag)) {
                    throw new YoloFleetException(ErrorCode.CHANNEL_CONFLICT, path + " moved: expected "
                            + expectedETag.map(etag -> "ETag " + etag).orElse("it absent") + ", found "
                            + current.map(etag -> "ETag " + etag).orElse("it absent")
                            + "; another publish run changed it: read the channel again and decide");
                }
                writeAtomically(path, output -> output.write(content));
                return new ChannelWrite(key, sha256(content), true);
            }
        } catch (IOException exception) {
            throw failure("cannot lock or write", path, exception);
        } finally {
            processLock.unlock();
        }
    }

    private Path path(String key) {
        return root.resolve(StoreKeys.check(key));
    }

    private interface Writing {
        void writeTo(OutputStream output) throws IOException;
    }

    private static void writeAtomically(Path target, Writing writing) {
        Path temporary = target.resolveSibling(HIDDEN + "tmp-" + target.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream output = Channels.newOutputStream(channel);
                writing.writeTo(output);
                output.flush();
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(target.getParent());
        } catch (IOException exception) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // the write failed already; a leftover temporary file is hidden from list and harmless
            }
            throw failure("cannot write", target, exception);
        }
    }

    /** Makes a rename in {@code directory} durable (Linux: fsync of the directory); a no-op where directories cannot be opened. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException unsupported) {
            // some platforms cannot open a directory; the rename itself is still atomic
        }
    }

    static String sha256(InputStream input) throws IOException {
        MessageDigest digest = newSha256();
        try (DigestInputStream digesting = new DigestInputStream(input, digest)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(byte[] content) {
        return HexFormat.of().formatHex(newSha256().digest(content));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java has SHA-256", impossible);
        }
    }

    private YoloFleetException missing(String key) {
        return new YoloFleetException(ErrorCode.NOT_FOUND, root.resolve(key) + " does not exist in the release store " + uri());
    }

    private static YoloFleetException failure(String action, Path path, IOException exception) {
        return new YoloFleetException(ErrorCode.IO, action + " " + path + ": " + exception
                + " (check the disk has space and the directory is writable)", exception);
    }
}

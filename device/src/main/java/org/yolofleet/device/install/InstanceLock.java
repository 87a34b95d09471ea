package org.yolofleet.device.install;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One agent at a time per install directory: an exclusive {@link FileLock} on {@code agent.lock}. The operating system
 * releases it when the process ends, however it ends ({@code kill -9} included), so a stale lock cannot block the device.
 */
public final class InstanceLock implements AutoCloseable {
    private static final long POLL_MILLIS = 100;

    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, waiting up to {@code wait} for another agent to release it; empty when it still holds it then. */
    public static Optional<InstanceLock> acquire(Path lockFile, Duration wait) {
        requireNonNull(lockFile, "lockFile");
        Instant deadline = Instant.now().plus(requireNonNull(wait, "wait"));
        try {
            Files.createDirectories(lockFile.toAbsolutePath().getParent());
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                }
                catch (OverlappingFileLockException heldInThisJvm) {
                    lock = null;
                }
                if (lock != null) {
                    return Optional.of(new InstanceLock(channel, lock));
                }
                if (!Instant.now().isBefore(deadline)) {
                    channel.close();
                    return Optional.empty();
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot release the agent lock: " + e.getMessage(), e);
        }
    }
}

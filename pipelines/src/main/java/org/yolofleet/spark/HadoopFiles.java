package org.yolofleet.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Small file operations on any Hadoop file system (local disk, s3a://, s3:// on EMR), with errors that say
 * which path failed. S3 failures become {@link ErrorCode#S3_ACCESS}, others {@link ErrorCode#IO}.
 */
public final class HadoopFiles {
    private HadoopFiles() {
    }

    public static FileSystem fileSystem(String uri, Configuration configuration) {
        try {
            return FileSystem.get(URI.create(uri), configuration);
        } catch (IOException | IllegalArgumentException exception) {
            throw failure("cannot open the file system of " + uri, uri, exception);
        }
    }

    /** The plain files directly under {@code directory}, sorted by name; empty when the directory is absent. */
    public static List<String> listFileNames(FileSystem fileSystem, Path directory) {
        List<String> names = new ArrayList<>();
        try {
            if (!fileSystem.exists(directory)) {
                return List.of();
            }
            for (FileStatus status : fileSystem.listStatus(directory)) {
                if (status.isFile()) {
                    names.add(status.getPath().getName());
                }
            }
        } catch (IOException exception) {
            throw failure("cannot list " + directory, directory.toString(), exception);
        }
        names.sort(String::compareTo);
        return List.copyOf(names);
    }

    public static Optional<byte[]> readIfExists(FileSystem fileSystem, Path path) {
        try (FSDataInputStream input = fileSystem.open(path)) {
            return Optional.of(input.readAllBytes());
        } catch (FileNotFoundException missing) {
            return Optional.empty();
        } catch (IOException exception) {
            throw failure("cannot read " + path, path.toString(), exception);
        }
    }

    public static void write(FileSystem fileSystem, Path path, byte[] content) {
        try (FSDataOutputStream output = fileSystem.create(path, true)) {
            output.write(content);
        } catch (IOException exception) {
            throw failure("cannot write " + path, path.toString(), exception);
        }
    }

    public static boolean exists(FileSystem fileSystem, Path path) {
        try {
            return fileSystem.exists(path);
        } catch (IOException exception) {
            throw failure("cannot check " + path, path.toString(), exception);
        }
    }

    public static void delete(FileSystem fileSystem, Path path) {
        try {
            fileSystem.delete(path, true);
        } catch (IOException exception) {
            throw failure("cannot delete " + path, path.toString(), exception);
        }
    }

    public static void rename(FileSystem fileSystem, Path from, Path to) {
        try {
            if (!fileSystem.rename(from, to)) {
                throw new YoloFleetException(code(to.toString()), "cannot move " + from + " to " + to);
            }
        } catch (IOException exception) {
            throw failure("cannot move " + from + " to " + to, to.toString(), exception);
        }
    }

    public static YoloFleetException failure(String message, String uri, Exception cause) {
        return new YoloFleetException(code(uri), message + ": " + cause.getMessage(), cause);
    }

    private static ErrorCode code(String uri) {
        return uri.startsWith("s3") ? ErrorCode.S3_ACCESS : ErrorCode.IO;
    }
}

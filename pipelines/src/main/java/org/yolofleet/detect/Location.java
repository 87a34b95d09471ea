package org.yolofleet.detect;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.spark.HadoopFiles;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A file or directory named the way users name them: a local path ({@code photos/a.jpg}, {@code /data},
 * {@code file:/data}) or a Hadoop file system URI ({@code s3a://bucket/prefix}, {@code hdfs://...}). Local ones go
 * through {@code java.nio} (no Hadoop checksum files next to outputs), the others through Hadoop's {@link FileSystem}.
 */
public final class Location {
    private static final Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:.*");

    private final String text;
    private final Configuration hadoop;

    /**
     * @param text the name as given, which messages and detection records repeat
     * @param hadoop the Hadoop configuration for URIs (credentials, endpoints)
     */
    public Location(String text, Configuration hadoop) {
        this.text = requireNonNull(text, "text");
        this.hadoop = requireNonNull(hadoop, "hadoop");
        if (text.isBlank()) {
            throw new YoloFleetException(ErrorCode.CONFIG, "an empty path or URI");
        }
    }

    /** The name as given. */
    public String text() {
        return text;
    }

    /** Whether this is a path on the local disk (no scheme, or {@code file:}). */
    public boolean isLocal() {
        return !URI_SCHEME.matcher(text).matches() || text.startsWith("file:");
    }

    /** The local path; only for {@link #isLocal()} locations. */
    public Path localPath() {
        if (!isLocal()) {
            throw new IllegalStateException(text + " is not local");
        }
        if (!text.startsWith("file:")) {
            return Path.of(text);
        }
        URI uri = URI.create(text);
        return uri.isOpaque() ? Path.of(uri.getSchemeSpecificPart()) : Path.of(uri);
    }

    /** The location of {@code name} inside this directory. */
    public Location child(String name) {
        requireNonNull(name, "name");
        if (isLocal() && !text.startsWith("file:")) {
            return new Location(Path.of(text).resolve(name).toString(), hadoop);
        }
        return new Location(text.endsWith("/") ? text + name : text + "/" + name, hadoop);
    }

    /** The last path segment: the file name. */
    public String name() {
        String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    public boolean isDirectory() {
        if (isLocal()) {
            return Files.isDirectory(localPath());
        }
        try {
            return fileSystem().getFileStatus(hadoopPath()).isDirectory();
        }
        catch (FileNotFoundException e) {
            return false;
        }
        catch (IOException e) {
            throw HadoopFiles.failure("cannot check " + text, text, e);
        }
    }

    /** The names of the plain files directly inside this directory, sorted. */
    public List<String> fileNames() {
        List<String> names = new ArrayList<>();
        if (isLocal()) {
            try (Stream<Path> files = Files.list(localPath())) {
                files.filter(Files::isRegularFile).forEach(file -> names.add(file.getFileName().toString()));
            }
            catch (IOException e) {
                throw new YoloFleetException(ErrorCode.IO, "cannot list " + text + ": " + e.getMessage(), e);
            }
        }
        else {
            try {
                for (FileStatus status : fileSystem().listStatus(hadoopPath())) {
                    if (status.isFile()) {
                        names.add(status.getPath().getName());
                    }
                }
            }
            catch (IOException e) {
                throw HadoopFiles.failure("cannot list " + text, text, e);
            }
        }
        names.sort(String::compareTo);
        return List.copyOf(names);
    }

    public boolean exists() {
        if (isLocal()) {
            return Files.exists(localPath());
        }
        return HadoopFiles.exists(fileSystem(), hadoopPath());
    }

    public byte[] readAllBytes() {
        if (isLocal()) {
            try {
                return Files.readAllBytes(localPath());
            }
            catch (NoSuchFileException e) {
                throw new YoloFleetException(ErrorCode.NOT_FOUND, "not found: " + text, e);
            }
            catch (IOException e) {
                throw new YoloFleetException(ErrorCode.IO, "cannot read " + text + ": " + e.getMessage(), e);
            }
        }
        try (InputStream input = fileSystem().open(hadoopPath())) {
            return input.readAllBytes();
        }
        catch (IOException e) {
            throw HadoopFiles.failure("cannot read " + text, text, e);
        }
    }

    /** Creates (or replaces) the file; a local file's missing parent directories are created. */
    public OutputStream create() {
        if (isLocal()) {
            try {
                Path path = localPath();
                Path parent = path.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                return Files.newOutputStream(path);
            }
            catch (IOException e) {
                throw new YoloFleetException(ErrorCode.IO, "cannot write " + text + ": " + e.getMessage(), e);
            }
        }
        try {
            return fileSystem().create(hadoopPath(), true);
        }
        catch (IOException e) {
            throw HadoopFiles.failure("cannot write " + text, text, e);
        }
    }

    public void write(byte[] content) {
        requireNonNull(content, "content");
        try (OutputStream output = create()) {
            output.write(content);
        }
        catch (IOException e) {
            throw isLocal()
                    ? new YoloFleetException(ErrorCode.IO, "cannot write " + text + ": " + e.getMessage(), e)
                    : HadoopFiles.failure("cannot write " + text, text, e);
        }
    }

    @Override
    public String toString() {
        return text;
    }

    private org.apache.hadoop.fs.Path hadoopPath() {
        return new org.apache.hadoop.fs.Path(URI.create(text));
    }

    private FileSystem fileSystem() {
        return HadoopFiles.fileSystem(text, hadoop);
    }
}

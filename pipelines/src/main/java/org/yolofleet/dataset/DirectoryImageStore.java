package org.yolofleet.dataset;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/** The image folder of a VOC root on the local disk, listed once when constructed. */
public final class DirectoryImageStore implements ImageStore {
    private final Path directory;
    private final Set<String> fileNames;

    public DirectoryImageStore(Path directory) {
        this.directory = requireNonNull(directory, "directory");
        try (Stream<Path> files = Files.list(directory)) {
            fileNames = files.filter(Files::isRegularFile).map(file -> file.getFileName().toString())
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot list " + directory + ": " + failure.getMessage(), failure);
        }
    }

    @Override
    public Set<String> fileNames() {
        return fileNames;
    }

    @Override
    public Optional<byte[]> read(String fileName) {
        if (!fileNames.contains(fileName)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(directory.resolve(fileName)));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read " + directory.resolve(fileName) + ": " + failure.getMessage(), failure);
        }
    }

    @Override
    public String path(String fileName) {
        return directory.resolve(fileName).toString();
    }
}

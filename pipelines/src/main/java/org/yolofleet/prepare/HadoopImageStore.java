package org.yolofleet.prepare;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.yolofleet.dataset.ImageStore;
import org.yolofleet.spark.HadoopFiles;

import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** The JPEGImages/ directory of one VOC root on a Hadoop file system, with its listing taken at job start. */
final class HadoopImageStore implements ImageStore {
    private final FileSystem fileSystem;
    private final Path directory;
    private final Set<String> fileNames;
    private final VocSource source;

    HadoopImageStore(FileSystem fileSystem, VocSource source) {
        this.fileSystem = requireNonNull(fileSystem, "fileSystem");
        this.directory = new Path(source.rootUri(), VocSource.IMAGES);
        this.fileNames = Set.copyOf(source.imageFiles());
        this.source = source;
    }

    /** Full URIs, so the dataset and the quarantine name files the same way whatever the file system. */
    @Override
    public String path(String fileName) {
        return source.imagePath(fileName);
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
        return HadoopFiles.readIfExists(fileSystem, new Path(directory, fileName));
    }
}

package org.yolofleet.device.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bytes a directory's file system can still take; tests pass a small one to see a download refused before it starts. */
@FunctionalInterface
public interface FreeSpace {
    FreeSpace FILE_STORE = directory -> Files.getFileStore(directory).getUsableSpace();

    long usableBytes(Path directory) throws IOException;
}

package org.yolofleet.dataset;

import java.util.Optional;
import java.util.Set;

/**
 * What the record processor may read: the image files of one VOC root ({@code JPEGImages/}), by file name.
 * Implementations read from a local folder, a Hadoop file system or memory.
 */
public interface ImageStore {
    /** The file names in the image folder (no directories), listed once. */
    Set<String> fileNames();

    /**
     * The bytes of one image file, or empty when there is no such file.
     *
     * @throws org.yolofleet.core.error.YoloFleetException with {@link org.yolofleet.core.error.ErrorCode#IO} when the
     *                                                     file exists but cannot be read
     */
    Optional<byte[]> read(String fileName);

    /** How quarantine entries and the dataset name the file; by default the file name itself. */
    default String path(String fileName) {
        return fileName;
    }
}

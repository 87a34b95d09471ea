package org.yolofleet.prepare;

import org.yolofleet.stage.Split;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One VOC root as listed at the start of the job.
 *
 * @param index           position in the configured inputs (earlier inputs win duplicate images)
 * @param name            unique source name, the namespace of its image ids
 * @param rootUri         the root holding Annotations/ and JPEGImages/
 * @param annotationFiles file names under Annotations/ ending in .xml
 * @param imageFiles      file names under JPEGImages/
 * @param imageSets       image id to split from ImageSets/Main lists (empty unless the split mode uses them)
 */
public record VocSource(int index, String name, String rootUri, List<String> annotationFiles, List<String> imageFiles,
                        Map<String, Split> imageSets) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    public static final String ANNOTATIONS = "Annotations";
    public static final String IMAGES = "JPEGImages";
    public static final String IMAGE_SETS = "ImageSets/Main";

    public VocSource {
        requireNonNull(name, "name");
        requireNonNull(rootUri, "rootUri");
        annotationFiles = List.copyOf(annotationFiles);
        imageFiles = List.copyOf(imageFiles);
        imageSets = Map.copyOf(imageSets);
    }

    public String annotationPath(String fileName) {
        return rootUri + "/" + ANNOTATIONS + "/" + fileName;
    }

    public String imagePath(String fileName) {
        return rootUri + "/" + IMAGES + "/" + fileName;
    }
}

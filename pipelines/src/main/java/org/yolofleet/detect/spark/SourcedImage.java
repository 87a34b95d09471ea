package org.yolofleet.detect.spark;

import org.apache.hadoop.conf.Configuration;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.detect.DetectRun;
import org.yolofleet.detect.Location;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * One image of a {@code detect --spark} run and its source, the value its output is partitioned by.
 *
 * <p>The images are those the one-JVM {@code detect} finds ({@link DetectRun}): each file input, and the files of each
 * directory input with an image extension ({@link DetectRun#IMAGE_EXTENSIONS}), not recursively, sorted by name; names
 * starting with '.' or '_' (Hadoop's hidden files, a job's markers) are skipped as Spark skips them. An image is named as
 * {@code detect} names it (the input as given, plus the file name). Its <b>source</b> is the directory (S3 prefix) it was
 * found in, as given: the directory input without a trailing '/', or a file input's parent ({@code .} for a bare
 * file name). So {@code s3a://photos/site-7/2026-12-06/} gives source {@code s3a://photos/site-7/2026-12-06}: one
 * partition per site and night when each night's photos have their own prefix.
 *
 * @param image the image as {@code detect} names it
 * @param source the directory or prefix it was found in
 */
public record SourcedImage(String image, String source) {
    public SourcedImage {
        requireNonNull(image, "image");
        requireNonNull(source, "source");
    }

    /**
     * The images of the inputs in input order; {@link ErrorCode#NOT_FOUND} for a missing input, {@link ErrorCode#CONFIG}
     * when none holds an image.
     */
    public static List<SourcedImage> resolve(List<String> inputs, Configuration hadoop) {
        requireNonNull(inputs, "inputs");
        requireNonNull(hadoop, "hadoop");
        List<SourcedImage> images = new ArrayList<>();
        for (String input : inputs) {
            Location location = new Location(input, hadoop);
            if (!location.exists()) {
                throw new YoloFleetException(ErrorCode.NOT_FOUND, "input not found: " + input);
            }
            if (!location.isDirectory()) {
                images.add(new SourcedImage(input, parent(input)));
                continue;
            }
            String source = withoutTrailingSlash(input);
            for (String name : location.fileNames()) {
                if (!name.startsWith(".") && !name.startsWith("_") && isImage(name)) {
                    images.add(new SourcedImage(location.child(name).text(), source));
                }
            }
        }
        if (images.isEmpty()) {
            throw new YoloFleetException(ErrorCode.CONFIG, "no images in " + String.join(", ", inputs)
                    + " (a directory's images need one of the extensions " + String.join(", ", DetectRun.IMAGE_EXTENSIONS) + ")");
        }
        return List.copyOf(images);
    }

    /** The source of a file given by itself: the text before its last '/', or {@code .}. */
    static String parent(String file) {
        int slash = file.lastIndexOf('/');
        if (slash < 0) {
            return ".";
        }
        String parent = file.substring(0, slash);
        return parent.isEmpty() || parent.endsWith(":") || parent.endsWith("/") ? file.substring(0, slash + 1) : parent;
    }

    private static String withoutTrailingSlash(String directory) {
        String trimmed = directory;
        while (trimmed.length() > 1 && trimmed.endsWith("/") && !trimmed.endsWith("//")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    private static boolean isImage(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && DetectRun.IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}

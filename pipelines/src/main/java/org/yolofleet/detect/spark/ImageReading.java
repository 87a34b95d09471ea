package org.yolofleet.detect.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.detect.Location;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.SerializableHadoopConfiguration;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * {@code detect --spark}'s first step on the executors: each {@link #IMAGES} row's file read whole, as the one-JVM
 * {@code detect} reads it (a local file through {@link Location}, a URI through Hadoop's file system). A file that cannot be read gets null content and the reason, and the job
 * goes on; the rows are read lazily, one at a time, as the detector asks for them.
 */
final class ImageReading implements MapPartitionsFunction<Row, Row> {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What the driver lists: an image and its source ({@link SourcedImage}). */
    static final StructType IMAGES = new StructType()
            .add("image", DataTypes.StringType, false)
            .add("source", DataTypes.StringType, false);

    /** The images with their bytes, or null bytes and why. */
    static final StructType READ = IMAGES
            .add("content", DataTypes.BinaryType, true)
            .add("error", DataTypes.StringType, true);

    private final SerializableHadoopConfiguration hadoop;

    ImageReading(SerializableHadoopConfiguration hadoop) {
        this.hadoop = requireNonNull(hadoop, "hadoop");
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Configuration configuration = hadoop.get();
        Map<URI, FileSystem> fileSystems = new HashMap<>(); // one per partition and bucket, closed when the partition is done
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                boolean more = rows.hasNext();
                if (!more) {
                    fileSystems.values().forEach(ImageReading::closeQuietly);
                    fileSystems.clear();
                }
                return more;
            }

            @Override
            public Row next() {
                Row row = rows.next();
                String image = row.getString(0);
                try {
                    return RowFactory.create(image, row.getString(1), read(image, configuration, fileSystems), null);
                } catch (YoloFleetException unreadable) {
                    return RowFactory.create(image, row.getString(1), null, unreadable.getMessage());
                }
            }
        };
    }

    /** A local file through {@link Location} (java.nio), a URI through the partition's own instance of its file system. */
    private static byte[] read(String image, Configuration configuration, Map<URI, FileSystem> fileSystems) {
        Location location = new Location(image, configuration);
        if (location.isLocal()) {
            return location.readAllBytes();
        }
        URI uri = URI.create(image);
        try {
            URI root = new URI(uri.getScheme(), uri.getAuthority(), "/", null, null);
            FileSystem fileSystem = fileSystems.get(root);
            if (fileSystem == null) {
                fileSystem = FileSystem.newInstance(root, configuration);
                fileSystems.put(root, fileSystem);
            }
            try (InputStream input = fileSystem.open(new Path(uri))) {
                return input.readAllBytes();
            }
        } catch (IOException | URISyntaxException e) {
            throw HadoopFiles.failure("cannot read " + image, image, e);
        }
    }

    private static void closeQuietly(FileSystem fileSystem) {
        try {
            fileSystem.close();
        } catch (IOException ignored) {
            // only the partition's own instance: nothing left to release that a retry would need
        }
    }
}

package org.yolofleet.publish.store;

import org.apache.hadoop.conf.Configuration;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/** Opens the {@link ReleaseStore} a URI names: {@code file:/...} on local disk, {@code s3a://bucket/prefix} or {@code s3://...} on S3. */
public final class ReleaseStores {
    private ReleaseStores() {
    }

    public static ReleaseStore open(URI uri, Configuration hadoopConfiguration) {
        return open(uri, hadoopConfiguration, ReleaseStoreOptions.DEFAULTS);
    }

    public static ReleaseStore open(URI uri, Configuration hadoopConfiguration, ReleaseStoreOptions options) {
        requireNonNull(uri, "uri");
        requireNonNull(hadoopConfiguration, "hadoopConfiguration");
        requireNonNull(options, "options");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "", "file" -> new LocalReleaseStore(uri.getScheme() == null ? Path.of(uri.getPath()) : Path.of(uri));
            case "s3a", "s3" -> {
                if (uri.getHost() == null || uri.getHost().isEmpty()) {
                    throw new YoloFleetException(ErrorCode.CONFIG, "release store " + uri + " names no bucket: write s3a://bucket/prefix");
                }
                yield S3ReleaseStore.open(uri, S3Settings.of(uri.getHost(), hadoopConfiguration), options);
            }
            default -> throw new YoloFleetException(ErrorCode.CONFIG, "release store " + uri
                    + " has an unsupported scheme '" + scheme + "': use file:/path, s3a://bucket/prefix or s3://bucket/prefix");
        };
    }
}

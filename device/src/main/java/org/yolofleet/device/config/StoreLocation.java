package org.yolofleet.device.config;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Where releases are published: {@code s3://bucket/prefix}, {@code file:/dir} or {@code https://host/prefix} (and
 * {@code http:}). The prefix never starts or ends with {@code /}; it may be empty.
 *
 * @param uri the URI as configured
 * @param scheme the kind of store
 */
public record StoreLocation(URI uri, Scheme scheme) {
    /** The kinds of store the agent reads. */
    public enum Scheme { S3, FILE, HTTP }

    public StoreLocation {
        requireNonNull(uri, "uri");
        requireNonNull(scheme, "scheme");
    }

    /** Parses {@code device.store}; {@link ErrorCode#CONFIG} naming the value and the accepted forms otherwise. */
    public static StoreLocation parse(String value) {
        requireNonNull(value, "value");
        URI uri;
        try {
            uri = new URI(value.strip());
        }
        catch (URISyntaxException e) {
            throw invalid(value, e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "s3":
                if (uri.getHost() == null || uri.getHost().isBlank()) {
                    throw invalid(value, "no bucket");
                }
                return new StoreLocation(uri, Scheme.S3);
            case "file":
                if (uri.getSchemeSpecificPart() == null || uri.getSchemeSpecificPart().isBlank()) {
                    throw invalid(value, "no directory");
                }
                return new StoreLocation(uri, Scheme.FILE);
            case "http":
            case "https":
                if (uri.getHost() == null) {
                    throw invalid(value, "no host");
                }
                return new StoreLocation(uri, Scheme.HTTP);
            default:
                throw invalid(value, "unknown scheme '" + scheme + "'");
        }
    }

    private static YoloFleetException invalid(String value, String why) {
        return new YoloFleetException(ErrorCode.CONFIG, "device.store = '" + value + "' is not a release store (" + why
                + "): use s3://bucket/prefix, file:/directory or https://host/prefix");
    }

    /** The S3 bucket. */
    public String bucket() {
        return uri.getHost();
    }

    /** The key prefix (S3) or URL path (HTTP) below which the release layout starts, without leading or trailing '/'. */
    public String prefix() {
        String path = uri.getPath() == null ? "" : uri.getPath();
        return path.replaceAll("^/+|/+$", "");
    }

    /** The directory of a {@code file:} store ({@code file:/abs}, {@code file:///abs} or {@code file:relative}). */
    public Path directory() {
        return Path.of(uri.isOpaque() ? uri.getSchemeSpecificPart() : uri.getPath());
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}

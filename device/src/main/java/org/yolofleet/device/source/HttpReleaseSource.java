package org.yolofleet.device.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A release store behind plain HTTP(S) ({@code https://cdn.example/releases}): a CDN or web server serving the release
 * layout below a base URL, with the JDK's {@link HttpURLConnection} (no further library on the Pi). Conditional GETs
 * send {@code If-None-Match}; resumed downloads send {@code Range}, and a server that ignores it (200 with the whole
 * body) has the bytes before the offset skipped.
 */
public final class HttpReleaseSource implements ReleaseSource {
    private static final int OK = 200;
    private static final int PARTIAL_CONTENT = 206;
    private static final int NOT_MODIFIED = 304;
    private static final int NOT_FOUND = 404;

    private final URI base;
    private final int timeoutMillis;

    /** {@code base} is the store's URL; {@code timeout} bounds connecting and each read. */
    public HttpReleaseSource(URI base, Duration timeout) {
        String text = requireNonNull(base, "base").toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, requireNonNull(timeout, "timeout").toMillis());
    }

    @Override
    public ConditionalResponse getIfChanged(String path, Optional<String> ifNoneMatch) throws IOException {
        HttpURLConnection connection = connect(path, "GET");
        ifNoneMatch.ifPresent(etag -> connection.setRequestProperty("If-None-Match", etag));
        try {
            int status = connection.getResponseCode();
            Optional<String> etag = Optional.ofNullable(connection.getHeaderField("ETag"));
            if (status == NOT_MODIFIED) {
                return ConditionalResponse.notModified(etag.or(() -> ifNoneMatch));
            }
            requireSuccess(path, connection, status);
            try (InputStream input = connection.getInputStream()) {
                return ConditionalResponse.modified(CompleteBody.check(input.readAllBytes(), connection.getContentLengthLong(), describe(path)), etag);
            }
        }
        finally {
            connection.disconnect();
        }
    }

    @Override
    public InputStream open(String path, long offset) throws IOException {
        HttpURLConnection connection = connect(path, "GET");
        if (offset > 0) {
            connection.setRequestProperty("Range", "bytes=" + offset + "-");
        }
        int status = connection.getResponseCode();
        requireSuccess(path, connection, status);
        // the URL connection ends a body cut off by the network silently: only Content-Length tells
        InputStream input = new FilterInputStream(CompleteBody.of(connection.getInputStream(), connection.getContentLengthLong(), describe(path))) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                }
                finally {
                    connection.disconnect();
                }
            }
        };
        if (offset > 0 && status == OK) {
            input.skipNBytes(offset);
        }
        else if (offset > 0 && status != PARTIAL_CONTENT) {
            input.close();
            throw new SourceException(describe(path) + " answered a range request with " + status, status, false);
        }
        return input;
    }

    @Override
    public long size(String path) throws IOException {
        HttpURLConnection connection = connect(path, "HEAD");
        try {
            int status = connection.getResponseCode();
            requireSuccess(path, connection, status);
            long size = connection.getContentLengthLong();
            if (size < 0) {
                throw new SourceException(describe(path) + " answered HEAD without Content-Length", status, false);
            }
            return size;
        }
        finally {
            connection.disconnect();
        }
    }

    @Override
    public String describe(String path) {
        return base.resolve(path).toString();
    }

    private HttpURLConnection connect(String path, String method) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) base.resolve(path).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(timeoutMillis);
        connection.setReadTimeout(timeoutMillis);
        connection.setUseCaches(false);
        connection.setInstanceFollowRedirects(true);
        return connection;
    }

    private void requireSuccess(String path, HttpURLConnection connection, int status) throws IOException {
        if (status == OK || status == PARTIAL_CONTENT) {
            return;
        }
        String message = connection.getResponseMessage();
        InputStream error = connection.getErrorStream();
        if (error != null) {
            error.close();
        }
        connection.disconnect();
        if (status == NOT_FOUND) {
            throw new NoSuchFileException(describe(path));
        }
        throw new SourceException(describe(path) + " answered " + status + " " + message, status,
                SourceException.retryableStatus(status));
    }
}

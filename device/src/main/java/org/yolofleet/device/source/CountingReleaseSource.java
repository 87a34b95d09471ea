package org.yolofleet.device.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Counts the requests made to another source and the body bytes read from it: what a poll or a sync costs (a poll of an
 * unchanged channel is one request), and how many bytes a resumed download fetched again.
 */
public final class CountingReleaseSource implements ReleaseSource {
    private final ReleaseSource source;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    public CountingReleaseSource(ReleaseSource source) {
        this.source = requireNonNull(source, "source");
    }

    /** Requests made so far (each GET, conditional GET and HEAD, failed ones included). */
    public long requests() {
        return requests.get();
    }

    /** Body bytes read so far. */
    public long bytes() {
        return bytes.get();
    }

    @Override
    public ConditionalResponse getIfChanged(String path, Optional<String> ifNoneMatch) throws IOException {
        requests.incrementAndGet();
        ConditionalResponse response = source.getIfChanged(path, ifNoneMatch);
        response.body().ifPresent(body -> bytes.addAndGet(body.length));
        return response;
    }

    @Override
    public InputStream open(String path, long offset) throws IOException {
        requests.incrementAndGet();
        return new FilterInputStream(source.open(path, offset)) {
            @Override
            public int read() throws IOException {
                int value = super.read();
                if (value >= 0) {
                    bytes.incrementAndGet();
                }
                return value;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int read = super.read(buffer, offset, length);
                if (read > 0) {
                    bytes.addAndGet(read);
                }
                return read;
            }
        };
    }

    @Override
    public long size(String path) throws IOException {
        requests.incrementAndGet();
        return source.size(path);
    }

    @Override
    public String describe(String path) {
        return source.describe(path);
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}

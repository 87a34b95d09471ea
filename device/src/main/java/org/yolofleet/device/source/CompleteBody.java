package org.yolofleet.device.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Holds a response body to the length its {@code Content-Length} declared. The JDK's URL connection (under the AWS SDK's
 * URL-connection client and {@link HttpReleaseSource}) ends a body cut off by the network like a whole one, with no
 * error: without this check a dropped connection reads as a short object (a truncated channel pointer or manifest is
 * then refused as bad data instead of being fetched again). A short body becomes an {@link IOException}, which the
 * sources' callers retry.
 */
final class CompleteBody extends FilterInputStream {
    private final long declared;
    private final String what;
    private long read;

    private CompleteBody(InputStream body, long declared, String what) {
        super(body);
        this.declared = declared;
        this.what = what;
    }

    /** {@code body}, failing at its end when fewer than {@code declared} bytes came; unchanged when the length is unknown (negative). */
    static InputStream of(InputStream body, long declared, String what) {
        return declared < 0 ? body : new CompleteBody(body, declared, what);
    }

    /** Throws when a body read whole is shorter than {@code declared} (negative: unknown, not checked). */
    static byte[] check(byte[] body, long declared, String what) throws IOException {
        if (declared >= 0 && body.length < declared) {
            throw cutShort(what, body.length, declared);
        }
        return body;
    }

    @Override
    public int read() throws IOException {
        int value = super.read();
        count(value < 0 ? -1 : 1);
        return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int count = super.read(buffer, offset, length);
        if (length > 0) {
            count(count);
        }
        return count;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public long skip(long count) throws IOException {
        long skipped = super.skip(count);
        read += Math.max(0, skipped);
        return skipped;
    }

    private void count(int bytes) throws IOException {
        if (bytes < 0) {
            if (read < declared) {
                throw cutShort(what, read, declared);
            }
            return;
        }
        read += bytes;
    }

    private static IOException cutShort(String what, long read, long declared) {
        return new IOException(what + ": the connection ended after " + read + " of " + declared + " bytes of the response body");
    }
}

package org.yolofleet.device.testing;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One request that went through {@link FaultProxy}, as the proxy saw it.
 *
 * @param method the request method
 * @param path the request path, without the query
 * @param query the query string, without {@code ?}; empty when there is none
 * @param range the request's {@code Range} header, passed to the origin unchanged
 * @param fault what the proxy did
 * @param status the status sent to the client; 0 when none was sent
 * @param bodyBytes response body bytes written to the client
 */
public record Exchange(String method, String path, String query, Optional<String> range, Fault fault, int status, long bodyBytes) {
    public Exchange {
        requireNonNull(method, "method");
        requireNonNull(path, "path");
        requireNonNull(query, "query");
        requireNonNull(range, "range");
        requireNonNull(fault, "fault");
    }

    /** Whether the client got a 2xx answer's body (all of it, or part of it when the fault dropped the connection). */
    public boolean successful() {
        return status >= 200 && status < 300;
    }
}

package org.yolofleet.device.testing;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * What {@link FaultProxy} does to one request. Faults that answer in the proxy's name ({@link Answer}) never reach the
 * origin; the others forward the request and change how the origin's response reaches the client.
 */
public sealed interface Fault {
    /** Forwards the request and the response unchanged. */
    static Fault passThrough() {
        return PassThrough.INSTANCE;
    }

    /** Answers 503 with S3's {@code SlowDown} error body, the throttling answer; the origin is not asked. */
    static Fault slowDown() {
        return new Answer(503, "SlowDown", "Please reduce your request rate.");
    }

    /** Answers 500 with S3's {@code InternalError} error body; the origin is not asked. */
    static Fault internalError() {
        return new Answer(500, "InternalError", "We encountered an internal error. Please try again.");
    }

    /** Forwards the request, sends the response's head and its first {@code bytes} body bytes, then closes the connection. */
    static Fault dropAfter(long bytes) {
        return new DropAfter(bytes);
    }

    /** Closes the client's connection as soon as the request is read: no response at all (a reset Wi-Fi link). */
    static Fault closeWithoutResponse() {
        return CloseWithoutResponse.INSTANCE;
    }

    /** Forwards the request and sends the response body {@code bytes} at a time, waiting {@code interval} after each piece. */
    static Fault trickle(int bytes, Duration interval) {
        return new Trickle(bytes, interval);
    }

    /** Waits {@code delay} before forwarding the request, then passes it through. */
    static Fault delay(Duration delay) {
        return new Delay(delay);
    }

    /** See {@link #passThrough()}. */
    enum PassThrough implements Fault {
        INSTANCE;

        @Override
        public String toString() {
            return "PassThrough";
        }
    }

    /** See {@link #closeWithoutResponse()}. */
    enum CloseWithoutResponse implements Fault {
        INSTANCE;

        @Override
        public String toString() {
            return "CloseWithoutResponse";
        }
    }

    /**
     * An S3-style error answer: {@code <Error><Code>code</Code><Message>message</Message>...</Error>}.
     *
     * @param status the HTTP status
     * @param code S3's error code ({@code SlowDown}, {@code InternalError}, ...)
     * @param message the error message
     */
    record Answer(int status, String code, String message) implements Fault {
        public Answer {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("an error answer needs a 4xx or 5xx status, got " + status);
            }
            requireNonNull(code, "code");
            requireNonNull(message, "message");
        }
    }

    /** @param bytes body bytes sent before the connection is closed, at least 0 */
    record DropAfter(long bytes) implements Fault {
        public DropAfter {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
            }
        }
    }

    /**
     * @param bytes body bytes per piece, at least 1
     * @param interval the wait after each piece
     */
    record Trickle(int bytes, Duration interval) implements Fault {
        public Trickle {
            if (bytes < 1) {
                throw new IllegalArgumentException("bytes per piece must be at least 1, got " + bytes);
            }
            requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("interval must not be negative, got " + interval);
            }
        }
    }

    /** @param delay the wait before the request is forwarded */
    record Delay(Duration delay) implements Fault {
        public Delay {
            requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative, got " + delay);
            }
        }
    }
}

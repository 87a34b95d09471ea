package org.yolofleet.device.sync;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One line per event on standard output, in logfmt ({@code event=installed version=2026.12.06-1 sequence=7}): journald
 * stamps and stores each line, and {@code journalctl -u yolofleet-agent} greps well. Values with spaces or quotes are
 * quoted.
 */
public final class EventLog {
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9._:/+@-]+");

    private final PrintWriter out;

    public EventLog(PrintWriter out) {
        this.out = requireNonNull(out, "out");
    }

    /** Prints {@code event=<name>} and the fields in order. */
    public void event(String name, Map<String, ?> fields) {
        StringBuilder line = new StringBuilder("event=").append(name);
        fields.forEach((key, value) -> line.append(' ').append(key).append('=').append(quote(String.valueOf(value))));
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** Prints an event with fields given as key, value, key, value... */
    public void event(String name, Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("fields come in key, value pairs");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            fields.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
        }
        event(name, fields);
    }

    static String quote(String value) {
        if (BARE.matcher(value).matches()) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}

package org.yolofleet.publish.store;

import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** The rules for keys of a {@link ReleaseStore}: relative, '/'-separated, no empty, '.' or '..' segment. */
final class StoreKeys {
    private static final Pattern SEPARATOR = Pattern.compile("/");

    private StoreKeys() {
    }

    /** Returns {@code key} when it is a valid key, fails with IllegalArgumentException (a bug in the caller) when not. */
    static String check(String key) {
        requireNonNull(key, "key");
        if (key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
            throw new IllegalArgumentException("not a store key: '" + key + "' (relative, '/'-separated, no leading or trailing '/')");
        }
        for (String segment : SEPARATOR.split(key, -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("\\")) {
                throw new IllegalArgumentException("not a store key: '" + key + "' (segment '" + segment + "')");
            }
        }
        return key;
    }

    /** A prefix for {@link ReleaseStore#list}: "" (everything) or a valid key. */
    static String checkPrefix(String prefix) {
        requireNonNull(prefix, "prefix");
        return prefix.isEmpty() ? prefix : check(prefix);
    }

    static String lastSegment(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }
}

package org.yolofleet.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Refuses a configuration that sets a key conf/defaults.conf does not define, so a misspelt key fails at start
 * instead of being silently ignored while its default applies. Each key is named with where it was set (file and
 * line, or {@code --set}) and the closest known keys. A known key holding the wrong kind of node (an object where a
 * value belongs, or a value where an object of keys belongs) is refused as well.
 * <p>
 * Roots other than {@code yolofleet} belong to other programs sharing a file or hold values for substitutions
 * ({@code bucket = "s3://b"}, then {@code yolofleet.prepare.output = ${bucket}"/prepared"}), so they pass, unless the
 * root is one of yolofleet's own sections ({@code prepare}, {@code train}, ...): that is a key written without its
 * {@code yolofleet} root, which would be ignored.
 */
public final class ConfigKeyCheck {
    /** Origin description of the {@code --set} overrides, so their keys are reported as set there. */
    public static final String COMMAND_LINE = "--set";
    /** The one root yolofleet reads. */
    public static final String ROOT = "yolofleet";

    private static final int NAMES_SHOWN = 6;

    private final KnownKeys keys;

    public ConfigKeyCheck(KnownKeys keys) {
        this.keys = requireNonNull(keys, "keys");
    }

    /**
     * Fails with {@link ErrorCode#CONFIG} naming every wrong key of {@code resolved} at once.
     *
     * @param resolved  the configuration as read, substitutions resolved: its keys are checked
     * @param asWritten the same before resolution: where each key was written (a resolved value carries the
     *                  origin of the value its substitution pointed to)
     */
    public void requireKnownKeys(Config resolved, Config asWritten) {
        List<String> problems = problems(resolved, asWritten);
        if (problems.size() == 1) {
            throw new YoloFleetException(ErrorCode.CONFIG, problems.get(0));
        }
        if (!problems.isEmpty()) {
            throw new YoloFleetException(ErrorCode.CONFIG, problems.size() + " configuration keys are refused:\n  "
                    + String.join("\n  ", problems));
        }
    }

    /** One sentence per wrong key, sorted by key; see {@link #requireKnownKeys(Config, Config)}. */
    public List<String> problems(Config resolved, Config asWritten) {
        requireNonNull(resolved, "resolved");
        requireNonNull(asWritten, "asWritten");
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> root : resolved.root().entrySet()) {
            List<String> path = List.of(root.getKey());
            if (root.getKey().equals(ROOT)) {
                check(path, root.getValue(), problems);
            } else if (keys.isValue(rootedKey(path)) || keys.isSection(rootedKey(path)) || keys.isOpenMap(rootedKey(path))) {
                outsideRoot(path, root.getValue(), problems);
            }
        }
        return problems.stream()
                .sorted(Comparator.comparing(Problem::key))
                .map(problem -> problem.sentence(writtenOrigin(asWritten.root(), ConfigUtil.splitPath(problem.key()), problem.origin())))
                .toList();
    }

    /** The origin of the value at {@code path} as written, or {@code resolved} where resolution is needed to find it. */
    private static ConfigOrigin writtenOrigin(ConfigObject asWritten, List<String> path, ConfigOrigin resolved) {
        try {
            ConfigValue value = asWritten.get(path.get(0));
            if (value == null) {
                return resolved;
            }
            if (path.size() == 1) {
                return value.origin();
            }
            if (value instanceof ConfigObject object) {
                return writtenOrigin(object, path.subList(1, path.size()), resolved);
            }
            return resolved;
        } catch (ConfigException.NotResolved unresolved) {
            return resolved;
        }
    }

    private void check(List<String> path, ConfigValue value, List<Problem> problems) {
        String key = ConfigUtil.joinPath(path);
        boolean object = value instanceof ConfigObject;
        if (keys.isOpenMap(key)) {
            if (!object) {
                problems.add(new Problem(key, value.origin(), "is an object of keys you choose, like { a = b }, not a single value"));
            }
        } else if (keys.isValue(key)) {
            if (object) {
                problems.add(new Problem(key, value.origin(), "holds a single value, not an object of keys"));
            }
        } else if (keys.isSection(key)) {
            if (object) {
                for (Map.Entry<String, ConfigValue> child : ((ConfigObject) value).entrySet()) {
                    check(KnownKeys.child(path, child.getKey()), child.getValue(), problems);
                }
            } else {
                List<String> children = keys.children(key);
                problems.add(new Problem(key, value.origin(), "is an object of keys (" + names(children)
                        + "), not a single value; set one of them, e.g. " + children.get(0)));
            }
        } else if (object && !((ConfigObject) value).isEmpty()) {
            for (Map.Entry<String, ConfigValue> child : ((ConfigObject) value).entrySet()) {
                check(KnownKeys.child(path, child.getKey()), child.getValue(), problems);
            }
        } else {
            List<String> suggestions = keys.closest(key);
            problems.add(new Problem(key, value.origin(), "is not a known key"
                    + (suggestions.isEmpty() ? " (conf/defaults.conf lists every key)" : "; did you mean " + alternatives(suggestions) + "?")));
        }
    }

    private void outsideRoot(List<String> path, ConfigValue value, List<Problem> problems) {
        if (value instanceof ConfigObject object && !object.isEmpty()) {
            for (Map.Entry<String, ConfigValue> child : object.entrySet()) {
                outsideRoot(KnownKeys.child(path, child.getKey()), child.getValue(), problems);
            }
            return;
        }
        List<String> suggestions = keys.closest(rootedKey(path));
        problems.add(new Problem(ConfigUtil.joinPath(path), value.origin(), "is outside the " + ROOT + " root and would be ignored"
                + (suggestions.isEmpty() ? "" : "; did you mean " + alternatives(suggestions) + "?")));
    }

    /** The last names of {@code keys}, the first few of them: what a section holds, in one line. */
    private static String names(List<String> keys) {
        List<String> names = keys.stream()
                .map(key -> {
                    List<String> path = ConfigUtil.splitPath(key);
                    return ConfigUtil.joinPath(path.get(path.size() - 1));
                })
                .toList();
        if (names.size() <= NAMES_SHOWN) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, NAMES_SHOWN)) + ", ...";
    }

    private static String rootedKey(List<String> path) {
        List<String> rooted = new ArrayList<>();
        rooted.add(ROOT);
        rooted.addAll(path);
        return ConfigUtil.joinPath(rooted);
    }

    private static String alternatives(List<String> suggestions) {
        if (suggestions.size() == 1) {
            return suggestions.get(0);
        }
        return String.join(", ", suggestions.subList(0, suggestions.size() - 1)) + " or " + suggestions.get(suggestions.size() - 1);
    }

    /** Where a value was set: {@code file conf/x.conf line 12}, {@code --set}, or typesafe-config's description. */
    static String source(ConfigOrigin origin) {
        if (origin.filename() != null) {
            return "file " + origin.filename() + " line " + origin.lineNumber();
        }
        if (origin.resource() != null) {
            return "resource " + origin.resource() + " line " + origin.lineNumber();
        }
        if (origin.description().startsWith(COMMAND_LINE)) {
            return COMMAND_LINE;
        }
        return origin.description();
    }

    private record Problem(String key, ConfigOrigin origin, String text) {
        String sentence(ConfigOrigin written) {
            return key + " (" + source(written) + ") " + text;
        }
    }
}

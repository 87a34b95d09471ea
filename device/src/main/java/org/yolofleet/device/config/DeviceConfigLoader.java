package org.yolofleet.device.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.text.EditDistance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Reads {@code device.conf} over {@code device-defaults.conf} into a {@link DeviceConfig}, strictly: a key the defaults
 * do not list, a value of the wrong type or out of range, or a missing required value fails with
 * {@link ErrorCode#CONFIG} naming the key, the value, where it was set and what is allowed (for an unknown key, the
 * closest known ones). Relative paths are resolved against the directory of the file.
 */
public final class DeviceConfigLoader {
    /** The classpath resource that documents every key. */
    public static final String DEFAULTS = "device-defaults.conf";
    private static final String ROOT = "device";

    private DeviceConfigLoader() {
    }

    /** The documented defaults. */
    public static Config defaults() {
        return ConfigFactory.parseResources(DeviceConfigLoader.class.getClassLoader(), DEFAULTS,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /** Reads and validates a device.conf file. */
    public static DeviceConfig load(Path file) {
        requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, "configuration file " + file + " does not exist; pass --config FILE"
                    + " (see device-defaults.conf in the README for its keys)");
        }
        Config written;
        try {
            written = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        }
        catch (ConfigException e) {
            throw new YoloFleetException(ErrorCode.CONFIG, "cannot read " + file + ": " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        return of(written, base);
    }

    /** Validates an already parsed device.conf; relative paths resolve against {@code base}. */
    public static DeviceConfig of(Config written, Path base) {
        requireNonNull(written, "written");
        requireNonNull(base, "base");
        Config defaults = defaults();
        requireKnownKeys(written, defaults);
        Config config;
        try {
            config = written.withFallback(defaults).resolve();
        }
        catch (ConfigException e) {
            throw new YoloFleetException(ErrorCode.CONFIG, e.getMessage(), e);
        }
        Reader reader = new Reader(config.getConfig(ROOT));
        String storeText = reader.required("store");
        StoreLocation store = reader.parsed("store", () -> StoreLocation.parse(storeText));
        if (store.scheme() == StoreLocation.Scheme.FILE && !store.directory().isAbsolute()) {
            store = new StoreLocation(base.resolve(store.directory()).normalize().toUri(), StoreLocation.Scheme.FILE);
        }
        DeviceConfig.S3Settings s3 = new DeviceConfig.S3Settings(reader.optional("s3.region"), reader.optional("s3.endpoint"),
                reader.bool("s3.path-style"));
        String model = reader.segment("model", reader.required("model"));
        String channel = reader.segment("channel", reader.required("channel"));
        String profileText = reader.text("profile");
        Profile profile = reader.parsed("profile", () -> Profile.ofKey(profileText));
        List<Path> trustedKeys = reader.textList("trusted-keys").stream().map(key -> base.resolve(key).normalize()).toList();
        if (trustedKeys.isEmpty()) {
            throw reader.bad("trusted-keys", "[]", "list at least one Ed25519 public key PEM file (the publisher's publish.signing public key)");
        }
        Path installDirectory = base.resolve(reader.text("install-dir")).normalize();
        int keep = reader.integer("keep-releases", 1);
        Duration healthTimeout = reader.duration("health-check.timeout");
        long reserve = reader.longInteger("reserve-bytes", 0);
        DeviceConfig.Poll poll = new DeviceConfig.Poll(reader.duration("poll.interval"), reader.duration("poll.jitter"));
        long bandwidth = reader.longInteger("bandwidth-cap", 0);
        DeviceConfig.Retry retry = new DeviceConfig.Retry(reader.integer("retry.attempts", 1), reader.duration("retry.initial-backoff"),
                reader.duration("retry.max-backoff"), reader.duration("retry.request-timeout"));
        if (retry.maxBackoff().compareTo(retry.initialBackoff()) < 0) {
            throw reader.bad("retry.max-backoff", retry.maxBackoff().toString(), "must be at least retry.initial-backoff (" + retry.initialBackoff() + ")");
        }
        return new DeviceConfig(store, s3, model, channel, profile, trustedKeys, installDirectory, keep, reader.optional("post-switch-command"),
                reader.optional("health-check.command"), healthTimeout, reserve, poll, bandwidth, retry, reader.duration("lock-wait"));
    }

    /** Fails naming every key of {@code written} that {@code defaults} does not define. */
    static void requireKnownKeys(Config written, Config defaults) {
        Set<String> known = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> entry : defaults.entrySet()) {
            known.add(entry.getKey());
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : written.entrySet()) {
            String key = entry.getKey();
            if (!known.contains(key)) {
                List<String> closest = closest(key, known);
                problems.add("unknown key '" + key + "' (" + entry.getValue().origin().description() + ")"
                        + (closest.isEmpty() ? "" : "; did you mean " + String.join(", ", closest) + "?"));
            }
            else if (entry.getValue().valueType() == ConfigValueType.OBJECT) {
                problems.add("key '" + key + "' holds an object, a value belongs there");
            }
        }
        if (!problems.isEmpty()) {
            throw new YoloFleetException(ErrorCode.CONFIG, String.join("; ", problems) + ". The keys are documented in " + DEFAULTS);
        }
    }

    /** Up to three known keys within a third of the key's length in edits, closest first. */
    static List<String> closest(String unknown, Set<String> known) {
        int limit = Math.max(2, unknown.length() / 3);
        return known.stream()
                .map(key -> Map.entry(key, EditDistance.between(unknown, key)))
                .filter(entry -> entry.getValue() <= limit)
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(3)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Typed reads of {@code device.*} with errors that name the key, its value and what is allowed. */
    private record Reader(Config config) {
        String text(String key) {
            return read(key, "a string", () -> config.getString(key));
        }

        String required(String key) {
            String value = text(key).strip();
            if (value.isEmpty()) {
                throw bad(key, "\"\"", "is required; see " + DEFAULTS);
            }
            return value;
        }

        Optional<String> optional(String key) {
            String value = text(key).strip();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }

        boolean bool(String key) {
            return read(key, "true or false", () -> config.getBoolean(key));
        }

        int integer(String key, int minimum) {
            int value = read(key, "an integer", () -> config.getInt(key));
            if (value < minimum) {
                throw bad(key, Integer.toString(value), "must be at least " + minimum);
            }
            return value;
        }

        long longInteger(String key, long minimum) {
            long value = read(key, "an integer", () -> config.getLong(key));
            if (value < minimum) {
                throw bad(key, Long.toString(value), "must be at least " + minimum);
            }
            return value;
        }

        Duration duration(String key) {
            Duration value = read(key, "a duration (30s, 5m)", () -> config.getDuration(key));
            if (value.isNegative()) {
                throw bad(key, value.toString(), "must not be negative");
            }
            return value;
        }

        List<String> textList(String key) {
            return read(key, "a list of strings", () -> config.getStringList(key));
        }

        String segment(String key, String value) {
            if (!ReleaseLayout.isSafeSegment(value)) {
                throw bad(key, value, "use letters, digits, '.', '_' and '-' only");
            }
            return value;
        }

        <T> T parsed(String key, Supplier<T> parse) {
            try {
                return parse.get();
            }
            catch (IllegalArgumentException e) {
                throw bad(key, config.getValue(key).render(), e.getMessage());
            }
        }

        private <T> T read(String key, String expected, Supplier<T> read) {
            try {
                return read.get();
            }
            catch (ConfigException.WrongType | ConfigException.BadValue e) {
                throw bad(key, config.getValue(key).render(), "must be " + expected);
            }
        }

        YoloFleetException bad(String key, String value, String why) {
            String origin = config.hasPath(key) ? " (" + config.getValue(key).origin().description() + ")" : "";
            return new YoloFleetException(ErrorCode.CONFIG, ROOT + "." + key + " = " + value + origin + ": " + why);
        }
    }
}

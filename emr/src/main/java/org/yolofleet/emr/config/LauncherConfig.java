package org.yolofleet.emr.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The launcher's configuration ({@code emr/conf/emr-launcher.conf} with the cluster template it includes), read once and
 * validated at start, so a wrong key stops {@code yolofleet-emr} before it calls AWS, with the key, the value and what is
 * allowed.
 *
 * @param directory the directory of the configuration file: relative deploy paths are resolved against it
 */
public record LauncherConfig(
        Path directory,
        String region,
        String bucket,
        Map<String, String> prefixes,
        String version,
        Path jobsConfig,
        Path bootstrapDirectory,
        Path templatesDirectory,
        ClusterTemplate cluster,
        Roles roles,
        Steps steps,
        ScheduleSettings schedule,
        Prices prices,
        PlanSettings plan) {

    /** The prefixes every configuration names (the IAM policies and the steps refer to them). */
    public static final Set<String> PREFIXES = Set.of("deploy", "raw", "prepared", "shards", "runs", "releases", "channels", "logs", "keys");

    /** The last segments of the releases and channels prefixes: the release store's own layout below its root. */
    private static final String RELEASES = "releases";
    private static final String CHANNELS = "channels";
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Set<String> ACTIONS_ON_FAILURE = Set.of("TERMINATE_CLUSTER", "CANCEL_AND_WAIT", "CONTINUE");
    private static final Set<String> TOP_LEVEL_KEYS = Set.of("region", "bucket", "prefixes", "version", "deploy", "cluster",
            "roles", "steps", "schedule", "prices", "plan");

    public LauncherConfig {
        requireNonNull(directory, "directory");
        prefixes = Map.copyOf(prefixes);
        requireNonNull(cluster, "cluster");
        requireNonNull(roles, "roles");
        requireNonNull(steps, "steps");
        requireNonNull(schedule, "schedule");
        requireNonNull(prices, "prices");
        requireNonNull(plan, "plan");
    }

    /** The S3 key prefix of one area ({@link #PREFIXES}). */
    public String prefix(String name) {
        String prefix = prefixes.get(name);
        if (prefix == null) {
            throw new IllegalArgumentException("no prefix " + name);
        }
        return prefix;
    }

    /** {@code s3://bucket/prefix} of one area, without a trailing slash. */
    public String uri(String prefixName) {
        return "s3://" + bucket + "/" + prefix(prefixName);
    }

    /**
     * The release store publish writes to, {@code s3://bucket/<root>}: publish puts releases under {@code <root>/releases}
     * and channel pointers under {@code <root>/channels}, which are the {@code releases} and {@code channels} prefixes
     * (checked at load), so the store and the IAM policies name the same keys.
     */
    public String releaseStoreUri() {
        String releases = prefix("releases");
        return "s3://" + bucket + (releases.equals(RELEASES) ? "" : "/" + releases.substring(0, releases.length() - RELEASES.length() - 1));
    }

    /** Where {@code deploy} puts a version: {@code s3://bucket/<deploy prefix>/<version>}. */
    public String deployUri(String deployVersion) {
        return uri("deploy") + "/" + deployVersion;
    }

    /** Reads and validates a configuration file, with {@code overrides} ({@code key=value}) applied over it. */
    public static LauncherConfig load(Path file, List<String> overrides) {
        if (!Files.isRegularFile(file)) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, "launcher configuration " + file + " does not exist: pass --conf "
                    + "emr/conf/emr-launcher.conf or a copy of it");
        }
        Config overridden = ConfigFactory.empty();
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                throw new YoloFleetException(ErrorCode.CONFIG, "--set " + override + ": expected KEY=VALUE");
            }
            try {
                overridden = ConfigFactory.parseString(override.substring(0, equals) + " = " + quote(override.substring(equals + 1)))
                        .withFallback(overridden);
            } catch (ConfigException e) {
                throw new YoloFleetException(ErrorCode.CONFIG, "--set " + override + ": " + e.getMessage());
            }
        }
        Config config;
        try {
            Config parsed = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            config = overridden.withFallback(parsed).resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
        } catch (ConfigException e) {
            throw new YoloFleetException(ErrorCode.CONFIG, "launcher configuration " + file + ": " + e.getMessage());
        }
        try {
            return from(config, file.toAbsolutePath().getParent());
        } catch (ConfigException e) {
            throw new YoloFleetException(ErrorCode.CONFIG, "launcher configuration " + file + ": " + e.getMessage()
                    + " (every key is documented in emr/conf/emr-launcher.conf)");
        }
    }

    private static String quote(String value) {
        return value.startsWith("[") || value.startsWith("{") ? value : ConfigUtil.quoteString(value);
    }

    static LauncherConfig from(Config config, Path directory) {
        refuseUnknown(config, "", TOP_LEVEL_KEYS);
        String bucket = config.getString("bucket");
        if (!BUCKET.matcher(bucket).matches()) {
            throw invalid("bucket", bucket, "an S3 bucket name: 3-63 lower-case letters, digits, '.' and '-'");
        }
        Map<String, String> prefixes = new TreeMap<>();
        Config prefixConfig = config.getConfig("prefixes");
        refuseUnknown(prefixConfig, "prefixes.", PREFIXES);
        for (String name : PREFIXES) {
            String prefix = prefixConfig.getString(name);
            if (prefix.isEmpty() || prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("*")) {
                throw invalid("prefixes." + name, prefix, "a non-empty key prefix without a leading or trailing '/' and without '*'");
            }
            prefixes.put(name, prefix);
        }
        checkReleaseStorePrefixes(prefixes);
        String version = config.getString("version");
        if (!version.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw invalid("version", version, "letters, digits, '.', '_' and '-'");
        }
        Config deploy = config.getConfig("deploy");
        refuseUnknown(deploy, "deploy.", Set.of("jobs-config", "bootstrap-dir", "templates-dir"));
        Path jobsConfig = directory.resolve(deploy.getString("jobs-config")).normalize();
        Path bootstrap = directory.resolve(deploy.getString("bootstrap-dir")).normalize();
        Path templates = directory.resolve(deploy.getString("templates-dir")).normalize();

        return new LauncherConfig(directory, nonEmpty(config, "region"), bucket, prefixes, version, jobsConfig, bootstrap, templates,
                ClusterTemplate.from(config.getConfig("cluster")), Roles.from(config.getConfig("roles")),
                Steps.from(config.getConfig("steps")), ScheduleSettings.from(config.getConfig("schedule")),
                Prices.from(config.getConfig("prices")), PlanSettings.from(config.getConfig("plan"), directory));
    }

    /**
     * publish writes {@code <store>/releases/...} and {@code <store>/channels/...}: the releases prefix must end in
     * {@code releases} and the channels prefix be its sibling {@code channels}, or the store the steps name and the
     * prefixes the IAM policies grant would differ.
     */
    private static void checkReleaseStorePrefixes(Map<String, String> prefixes) {
        String releases = prefixes.get("releases");
        if (!releases.equals(RELEASES) && !releases.endsWith("/" + RELEASES)) {
            throw invalid("prefixes.releases", releases, "a prefix ending in '" + RELEASES + "' (publish writes <store>/" + RELEASES
                    + "/<model>/<version>/; the store is what comes before it)");
        }
        String expectedChannels = releases.substring(0, releases.length() - RELEASES.length()) + CHANNELS;
        if (!prefixes.get("channels").equals(expectedChannels)) {
            throw invalid("prefixes.channels", prefixes.get("channels"), "'" + expectedChannels + "', beside prefixes.releases (publish "
                    + "writes <store>/" + CHANNELS + "/<model>/<channel>.json next to <store>/" + RELEASES + ")");
        }
    }

    static String nonEmpty(Config config, String key) {
        String value = config.getString(key);
        if (value.isBlank()) {
            throw new YoloFleetException(ErrorCode.CONFIG, "'" + key + "' is empty: set it in the launcher configuration");
        }
        return value;
    }

    static YoloFleetException invalid(String key, Object value, String allowed) {
        return new YoloFleetException(ErrorCode.CONFIG, "'" + key + "' = '" + value + "' is not valid: " + allowed);
    }

    /** Refuses a key the launcher does not read, naming the ones it does (a typo would otherwise be ignored). */
    static void refuseUnknown(Config config, String path, Set<String> known) {
        for (Map.Entry<String, ConfigValue> entry : config.root().entrySet()) {
            if (!known.contains(entry.getKey())) {
                throw new YoloFleetException(ErrorCode.CONFIG, "'" + path + entry.getKey() + "' is not a launcher key; known keys"
                        + (path.isEmpty() ? "" : " under '" + path.substring(0, path.length() - 1) + "'") + ": " + new TreeSet<>(known));
            }
        }
    }

    /** Checks an action-on-failure value. */
    static String actionOnFailure(String value) {
        if (!ACTIONS_ON_FAILURE.contains(value)) {
            throw invalid("cluster.action-on-failure", value, String.join(", ", new TreeSet<>(ACTIONS_ON_FAILURE)));
        }
        return value;
    }

    /** A duration within bounds, for the keys that take one. */
    static Duration duration(Config config, String key, String path, Duration minimum, Duration maximum) {
        Duration value = config.getDuration(key);
        if (value.compareTo(minimum) < 0 || value.compareTo(maximum) > 0) {
            throw invalid(path + key, config.getValue(key).unwrapped(), "between " + minimum + " and " + maximum);
        }
        return value;
    }

    /** An object of string values, kept in file order. */
    static Map<String, String> strings(Config config) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : config.root().entrySet()) {
            values.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
        }
        return values;
    }

    /** A list of strings. */
    static List<String> strings(Config config, String key) {
        return List.copyOf(new ArrayList<>(config.getStringList(key)));
    }
}

package org.yolofleet.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the one configuration tree: built-in defaults ({@code conf/defaults.conf}, packed into the jar)
 * &lt; an optional user file &lt; {@code key=value} overrides from the command line. Every key set above the
 * defaults must be one defaults.conf defines ({@link ConfigKeyCheck}): a misspelt key fails at start.
 */
public final class ConfigLoader {
    /** Classpath location of {@code conf/defaults.conf} inside the jar. */
    public static final String DEFAULTS_RESOURCE = "org/yolofleet/defaults.conf";
    /** Classpath location of {@code conf/local.conf} inside the jar. */
    public static final String LOCAL_RESOURCE = "org/yolofleet/local.conf";

    private ConfigLoader() {
    }

    public static Config defaults() {
        return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /**
     * @param userFile  optional HOCON file whose keys override the defaults
     * @param overrides {@code key=value} strings; a value is parsed as HOCON (so lists work: {@code k=[a,b]})
     */
    public static Config load(Optional<File> userFile, List<String> overrides) {
        return load(ConfigFactory.empty(), userFile, overrides);
    }

    /**
     * {@code conf/local.conf} (packed into the jar): the settings of a run on one machine, {@code run-local}'s demo
     * among them, between the defaults and the user's file.
     */
    public static Config local() {
        return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), LOCAL_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /** As {@link #load(Optional, List)} with {@code layer} between the defaults and the user's file. */
    public static Config load(Config layer, Optional<File> userFile, List<String> overrides) {
        try {
            Config defaults = defaults();
            Config config = layer.withFallback(defaults);
            if (userFile.isPresent()) {
                File file = userFile.get();
                if (!file.isFile()) {
                    throw new YoloFleetException(ErrorCode.CONFIG, "configuration file " + file + " does not exist");
                }
                config = ConfigFactory.parseFile(file).withFallback(config);
            }
            config = parseOverrides(overrides).withFallback(config);
            Config resolved = config.resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
            new ConfigKeyCheck(KnownKeys.of(defaults)).requireKnownKeys(resolved, config);
            return resolved;
        } catch (ConfigException exception) {
            throw new YoloFleetException(ErrorCode.CONFIG, exception.getMessage(), exception);
        }
    }

    static Config parseOverrides(List<String> overrides) {
        Map<String, String> lines = new LinkedHashMap<>();
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                throw new YoloFleetException(ErrorCode.CONFIG,
                        "override '" + override + "' is not of the form key=value (e.g. yolofleet.prepare.split.val-fraction=0.2)");
            }
            String key = override.substring(0, equals).trim();
            if (!key.startsWith("yolofleet.")) {
                key = "yolofleet." + key;
            }
            lines.put(key, override.substring(equals + 1).trim());
        }
        Config result = ConfigFactory.empty();
        for (Map.Entry<String, String> line : lines.entrySet()) {
            Config one;
            try {
                one = ConfigFactory.parseString(line.getKey() + " = " + line.getValue(),
                        ConfigParseOptions.defaults().setOriginDescription(ConfigKeyCheck.COMMAND_LINE));
            } catch (ConfigException.Parse notHocon) {
                one = ConfigFactory.parseMap(Map.of(line.getKey(), line.getValue()), ConfigKeyCheck.COMMAND_LINE);
            }
            result = one.withFallback(result);
        }
        return result;
    }
}

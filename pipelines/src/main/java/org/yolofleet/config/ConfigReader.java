package org.yolofleet.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Reads typed values under one path of the configuration, failing with a CONFIG error that names the full
 * key, the value found and what is allowed.
 */
public final class ConfigReader {
    private final Config config;
    private final String path;

    public ConfigReader(Config config, String path) {
        this.config = requireNonNull(config, "config");
        this.path = requireNonNull(path, "path");
    }

    public ConfigReader at(String child) {
        return new ConfigReader(config, key(child));
    }

    public String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    public String string(String name) {
        String key = key(name);
        try {
            return config.getString(key);
        } catch (ConfigException.Missing missing) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + " is missing");
        } catch (ConfigException.WrongType wrongType) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + ": expected a string, found " + render(key));
        }
    }

    /** A size in bytes written as HOCON sizes ({@code 512m}, {@code 4g}, {@code 6GiB}, a plain number of bytes), within bounds. */
    public long bytes(String name, long minimum, long maximum) {
        String key = key(name);
        long value;
        try {
            value = config.getBytes(key);
        } catch (ConfigException.Missing missing) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + " is missing");
        } catch (ConfigException.WrongType | ConfigException.BadValue notSize) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + ": expected a size such as 512m or 4g, found " + render(key));
        }
        if (value < minimum || value > maximum) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + " = " + render(key) + " is outside the allowed " + minimum + " to " + maximum + " bytes");
        }
        return value;
    }

    public String nonEmptyString(String name, String meaning) {
        String value = string(name);
        if (value.isBlank()) {
            throw new YoloFleetException(ErrorCode.CONFIG, key(name) + " is empty: set it to " + meaning);
        }
        return value;
    }

    public boolean bool(String name) {
        String key = key(name);
        try {
            return config.getBoolean(key);
        } catch (ConfigException.Missing missing) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + " is missing");
        } catch (ConfigException.WrongType wrongType) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + ": expected true or false, found " + render(key));
        }
    }

    public int integer(String name, int minimum, int maximum) {
        return (int) longInteger(name, minimum, maximum);
    }

    public long longInteger(String name, long minimum, long maximum) {
        String key = key(name);
        long value;
        try {
            value = config.getLong(key);
        } catch (ConfigException.Missing missing) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + " is missing");
        } catch (ConfigException.WrongType wrongType) {
            throw new YoloFleetException(ErrorCode.CONFIG,
                    key + ": expected a whole number in [" + minimum + ", " + maximum + "], found " + render(key));
        }
        if (value < minimum || value > maximum) {
            throw new YoloFleetException(ErrorCode.CONFIG,
                    key + " = " + value + " is out of range: allowed [" + minimum + ", " + maximum + "]");
        }
        return value;
    }

    /** A number in [minimum, maximum] when {@code maximumInclusive}, else [minimum, maximum). */
    public double number(String name, double minimum, double maximum, boolean maximumInclusive) {
        String key = key(name);
        double value;
        try {
            value = config.getDouble(key);
        } catch (ConfigException.Missing missing) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + " is missing");
        } catch (ConfigException.WrongType wrongType) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + ": expected a number, found " + render(key));
        }
        boolean tooHigh = maximumInclusive ? value > maximum : value >= maximum;
        if (!Double.isFinite(value) || value < minimum || tooHigh) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + " = " + value + " is out of range: allowed ["
                    + minimum + ", " + maximum + (maximumInclusive ? "]" : ")"));
        }
        return value;
    }

    /** A list of whole numbers, each in [minimum, maximum], e.g. {@code [400000, 450000]}. */
    public List<Long> longIntegers(String name, long minimum, long maximum) {
        String key = key(name);
        List<Long> values = new ArrayList<>();
        for (String text : strings(name)) {
            long value;
            try {
                value = Long.parseLong(text.trim());
            } catch (NumberFormatException notNumber) {
                throw new YoloFleetException(ErrorCode.CONFIG,
                        key + ": '" + text + "' is not a whole number; allowed: whole numbers in [" + minimum + ", " + maximum + "]");
            }
            if (value < minimum || value > maximum) {
                throw new YoloFleetException(ErrorCode.CONFIG, key + ": " + value + " is out of range: allowed [" + minimum + ", " + maximum + "]");
            }
            values.add(value);
        }
        return values;
    }

    /** A list of positive, finite numbers, e.g. {@code [0.1, 0.1]}. */
    public List<Double> positiveNumbers(String name) {
        String key = key(name);
        List<Double> values = new ArrayList<>();
        for (String text : strings(name)) {
            double value;
            try {
                value = Double.parseDouble(text.trim());
            } catch (NumberFormatException notNumber) {
                value = Double.NaN;
            }
            if (!(value > 0 && Double.isFinite(value))) {
                throw new YoloFleetException(ErrorCode.CONFIG, key + ": '" + text + "' is not allowed: positive numbers only");
            }
            values.add(value);
        }
        return values;
    }

    public List<String> strings(String name) {
        String key = key(name);
        try {
            return List.copyOf(config.getStringList(key));
        } catch (ConfigException.Missing missing) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + " is missing");
        } catch (ConfigException.WrongType wrongType) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + ": expected a list of strings like [a, b], found " + render(key));
        }
    }

    public Map<String, String> stringMap(String name) {
        String key = key(name);
        Map<String, String> result = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, ConfigValue> entry : config.getConfig(key).root().entrySet()) {
                result.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
            }
        } catch (ConfigException.Missing missing) {
            return Map.of();
        } catch (ConfigException.WrongType wrongType) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + ": expected an object like { a = b }, found " + render(key));
        }
        return Map.copyOf(result);
    }

    public <E extends Enum<E>> E enumeration(String name, Class<E> type) {
        String value = string(name);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.replace('-', '_'))) {
                return constant;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants())
                .map(constant -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
        throw new YoloFleetException(ErrorCode.CONFIG, key(name) + " = " + value + " is not allowed: use one of " + allowed);
    }

    private String render(String key) {
        return config.getValue(key).render();
    }
}

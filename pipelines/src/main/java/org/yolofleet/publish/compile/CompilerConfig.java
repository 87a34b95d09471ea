package org.yolofleet.publish.compile;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import org.yolofleet.config.ConfigReader;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The vendor compilers of the publish stage ({@code yolofleet.publish.compilers.*}), validated at start: every
 * command's placeholders known, every required compiler enabled, no two enabled compilers writing the same file.
 *
 * @param compilers in name order
 */
public record CompilerConfig(List<CompilerSpec> compilers) {
    /** Where the compilers are configured. */
    public static final String PATH = "yolofleet.publish.compilers";

    private static final Duration MINIMUM_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MAXIMUM_TIMEOUT = Duration.ofHours(6);

    public CompilerConfig {
        compilers = List.copyOf(compilers);
        Map<String, String> writers = new HashMap<>();
        for (CompilerSpec spec : compilers) {
            if (spec.enabled()) {
                String other = writers.putIfAbsent(spec.output(), spec.name());
                if (other != null) {
                    throw new IllegalArgumentException("compilers " + other + " and " + spec.name() + " both write " + spec.output()
                            + ": give one of them another output");
                }
            }
        }
    }

    public static CompilerConfig from(Config config) {
        requireNonNull(config, "config");
        ConfigReader compilers = new ConfigReader(config, PATH);
        List<String> names;
        try {
            names = config.getConfig(PATH).root().keySet().stream().sorted().toList();
        } catch (ConfigException.Missing | ConfigException.WrongType notSection) {
            throw new YoloFleetException(ErrorCode.CONFIG, PATH + " must be an object of compilers (see conf/defaults.conf)");
        }
        List<CompilerSpec> specs = new ArrayList<>();
        for (String name : names) {
            specs.add(spec(config, name, compilers.at(name)));
        }
        try {
            return new CompilerConfig(specs);
        } catch (IllegalArgumentException conflict) {
            throw new YoloFleetException(ErrorCode.CONFIG, PATH + ": " + conflict.getMessage());
        }
    }

    /** The enabled compiler named {@code name}, if configured and enabled. */
    public Optional<CompilerSpec> enabled(String name) {
        return compilers.stream().filter(spec -> spec.name().equals(name) && spec.enabled()).findFirst();
    }

    private static CompilerSpec spec(Config config, String name, ConfigReader compiler) {
        CommandTemplate command = template(compiler, "command");
        List<String> versionArguments = compiler.strings("version-command");
        Optional<CommandTemplate> versionCommand = versionArguments.isEmpty()
                ? Optional.empty()
                : Optional.of(template(compiler, "version-command"));
        try {
            return new CompilerSpec(
                    name,
                    compiler.bool("enabled"),
                    command,
                    versionCommand,
                    compiler.enumeration("input-format", InputFormat.class),
                    compiler.nonEmptyString("output", "the artifact's file name in the release, e.g. model.graph"),
                    compiler.enumeration("target", Target.class),
                    duration(config, compiler.key("timeout")),
                    compiler.bool("required"),
                    compiler.string("config-file"),
                    compiler.strings("config-lines"));
        } catch (IllegalArgumentException invalid) {
            throw new YoloFleetException(ErrorCode.CONFIG, PATH + "." + name + ": " + invalid.getMessage());
        }
    }

    private static CommandTemplate template(ConfigReader compiler, String name) {
        List<String> arguments = compiler.strings(name);
        try {
            return new CommandTemplate(arguments);
        } catch (IllegalArgumentException invalid) {
            throw new YoloFleetException(ErrorCode.CONFIG, compiler.key(name) + " = " + arguments + ": " + invalid.getMessage()
                    + " (write placeholders inside quotes, \"${input}\", so HOCON leaves them alone)");
        }
    }

    private static Duration duration(Config config, String key) {
        Duration value;
        try {
            value = config.getDuration(key);
        } catch (ConfigException.Missing missing) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + " is missing");
        } catch (ConfigException.WrongType | ConfigException.BadValue notDuration) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + ": expected a duration such as 90s or 10m, found "
                    + config.getValue(key).render());
        }
        if (value.compareTo(MINIMUM_TIMEOUT) < 0 || value.compareTo(MAXIMUM_TIMEOUT) > 0) {
            throw new YoloFleetException(ErrorCode.CONFIG, key + " = " + config.getValue(key).render() + " is outside the allowed "
                    + CompilerRunner.text(MINIMUM_TIMEOUT) + " to " + MAXIMUM_TIMEOUT.toHours() + "h");
        }
        return value;
    }
}

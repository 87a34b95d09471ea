package org.yolofleet.publish.compile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * A command as a list of arguments, run without a shell, in which {@code ${input}}, {@code ${output}},
 * {@code ${workdir}} and {@code ${config}} stand for the paths of one compilation. In HOCON these must be written
 * inside quoted strings ({@code "${input}"}): HOCON does not substitute inside quotes, so the text reaches us as
 * written. An unknown placeholder is refused when the template is made, so a typo fails at start, not mid-publish.
 *
 * @param arguments the program (a name looked up on the PATH, or an absolute path; no placeholder) and its arguments
 */
public record CommandTemplate(List<String> arguments) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    /** What a placeholder stands for. */
    public enum Placeholder {
        /** The exported model the compiler reads. */
        INPUT,
        /** The file the compiler must write (in the work directory; moved into the release on success). */
        OUTPUT,
        /** A fresh directory for this compilation, the process's working directory, deleted afterwards. */
        WORKDIR,
        /** The configuration file written for the compiler (e.g. OpenVINO's {@code myriad.conf}). */
        CONFIG;

        /** How it is written in a command: {@code ${input}}. */
        public String written() {
            return "${" + name().toLowerCase(Locale.ROOT) + "}";
        }

        static String allWritten() {
            return Arrays.stream(values()).map(Placeholder::written).collect(Collectors.joining(", "));
        }
    }

    public CommandTemplate {
        requireNonNull(arguments, "arguments");
        arguments = List.copyOf(arguments);
        if (arguments.isEmpty() || arguments.get(0).isBlank()) {
            throw new IllegalArgumentException("a command needs at least the program to run");
        }
        for (int index = 0; index < arguments.size(); index++) {
            List<String> names = placeholderNames(arguments.get(index));
            if (index == 0 && !names.isEmpty()) {
                throw new IllegalArgumentException("the program '" + arguments.get(0) + "' cannot hold a placeholder: "
                        + "write its name (looked up on the PATH) or its absolute path");
            }
            for (String name : names) {
                if (placeholder(name) == null) {
                    throw new IllegalArgumentException("unknown placeholder ${" + name + "} in argument " + (index + 1)
                            + " ('" + arguments.get(index) + "'); allowed: " + Placeholder.allWritten());
                }
            }
        }
    }

    /** The program: a name to look up on the PATH, or a path. */
    public String program() {
        return arguments.get(0);
    }

    /** The placeholders the arguments use. */
    public Set<Placeholder> placeholders() {
        Set<Placeholder> used = EnumSet.noneOf(Placeholder.class);
        for (String argument : arguments) {
            for (String name : placeholderNames(argument)) {
                used.add(placeholder(name));
            }
        }
        return Set.copyOf(used);
    }

    /**
     * The arguments with every placeholder replaced by its value.
     *
     * @throws IllegalArgumentException when a placeholder the command uses has no value
     */
    public List<String> substitute(Map<Placeholder, String> values) {
        requireNonNull(values, "values");
        List<String> result = new ArrayList<>(arguments.size());
        for (String argument : arguments) {
            Matcher matcher = PLACEHOLDER.matcher(argument);
            StringBuilder substituted = new StringBuilder();
            while (matcher.find()) {
                Placeholder placeholder = placeholder(matcher.group(1));
                String value = values.get(placeholder);
                if (value == null) {
                    throw new IllegalArgumentException("no value for " + placeholder.written() + " in '" + argument + "'");
                }
                matcher.appendReplacement(substituted, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(substituted);
            result.add(substituted.toString());
        }
        return List.copyOf(result);
    }

    /** The command as one line for logs, each argument quoted when it holds a space. */
    public static String render(List<String> arguments) {
        return arguments.stream()
                .map(argument -> argument.isEmpty() || argument.chars().anyMatch(Character::isWhitespace) ? "'" + argument + "'" : argument)
                .collect(Collectors.joining(" "));
    }

    private static List<String> placeholderNames(String argument) {
        List<String> names = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(argument);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static Placeholder placeholder(String name) {
        for (Placeholder placeholder : Placeholder.values()) {
            if (placeholder.name().toLowerCase(Locale.ROOT).equals(name)) {
                return placeholder;
            }
        }
        return null;
    }
}

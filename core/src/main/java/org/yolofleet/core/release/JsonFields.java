package org.yolofleet.core.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Strict reading of one JSON object of a release file: every field is required (a nullable one must be present as
 * {@code null}), of the expected JSON type, and {@link #finish()} refuses fields nobody read. Failures are
 * {@link ErrorCode#BAD_RELEASE} naming the file and the field's path, such as {@code manifest.json: artifacts[2].sha256}.
 */
final class JsonFields {
    private final ObjectNode node;
    private final String source;
    private final String prefix;
    private final Set<String> read = new HashSet<>();

    JsonFields(ObjectNode node, String source) {
        this(node, source, "");
    }

    private JsonFields(ObjectNode node, String source, String prefix) {
        this.node = requireNonNull(node, "node");
        this.source = requireNonNull(source, "source");
        this.prefix = requireNonNull(prefix, "prefix");
    }

    String text(String name) {
        JsonNode value = required(name);
        if (!value.isTextual()) {
            throw bad(name, "must be a string, got " + value);
        }
        return value.textValue();
    }

    Optional<String> optionalText(String name) {
        return isNull(name) ? Optional.empty() : Optional.of(text(name));
    }

    boolean bool(String name) {
        JsonNode value = required(name);
        if (!value.isBoolean()) {
            throw bad(name, "must be true or false, got " + value);
        }
        return value.booleanValue();
    }

    long longInteger(String name) {
        JsonNode value = required(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw bad(name, "must be a whole number, got " + value);
        }
        return value.longValue();
    }

    int integer(String name) {
        JsonNode value = required(name);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw bad(name, "must be a whole number, got " + value);
        }
        return value.intValue();
    }

    double number(String name) {
        return number(name, required(name));
    }

    OptionalDouble optionalNumber(String name) {
        return isNull(name) ? OptionalDouble.empty() : OptionalDouble.of(number(name));
    }

    Instant instant(String name) {
        String text = text(name);
        try {
            return Instant.parse(text);
        }
        catch (DateTimeParseException e) {
            throw bad(name, "must be an ISO-8601 UTC instant such as 2026-12-06T17:00:00Z, got '" + text + "'");
        }
    }

    JsonFields object(String name) {
        JsonNode value = required(name);
        if (!value.isObject()) {
            throw bad(name, "must be an object, got " + value);
        }
        return new JsonFields((ObjectNode) value, source, path(name) + ".");
    }

    List<JsonFields> objects(String name) {
        return elements(name, (element, path) -> {
            if (!element.isObject()) {
                throw new YoloFleetException(ErrorCode.BAD_RELEASE, source + ": '" + path + "' must be an object, got " + element);
            }
            return new JsonFields((ObjectNode) element, source, path + ".");
        });
    }

    List<String> texts(String name) {
        return elements(name, (element, path) -> {
            if (!element.isTextual()) {
                throw new YoloFleetException(ErrorCode.BAD_RELEASE, source + ": '" + path + "' must be a string, got " + element);
            }
            return element.textValue();
        });
    }

    List<Double> numbers(String name) {
        return elements(name, (element, path) -> numberAt(path, element));
    }

    List<Integer> integers(String name) {
        return elements(name, (element, path) -> {
            if (!element.isIntegralNumber() || !element.canConvertToInt()) {
                throw new YoloFleetException(ErrorCode.BAD_RELEASE, source + ": '" + path + "' must be a whole number, got " + element);
            }
            return element.intValue();
        });
    }

    /** Reads a value with {@code parse}, turning its {@link IllegalArgumentException} into a failure naming the field. */
    <T> T parsed(String name, Function<String, T> parse) {
        String text = text(name);
        try {
            return parse.apply(text);
        }
        catch (IllegalArgumentException e) {
            throw bad(name, e.getMessage());
        }
    }

    /**
     * Calls {@link #finish()}, then builds the record: a value its constructor refuses ({@link IllegalArgumentException})
     * becomes a failure naming this object.
     */
    <T> T build(Supplier<T> constructor) {
        finish();
        try {
            return constructor.get();
        }
        catch (IllegalArgumentException e) {
            String where = prefix.isEmpty() ? "" : " '" + prefix.substring(0, prefix.length() - 1) + "'";
            throw new YoloFleetException(ErrorCode.BAD_RELEASE, source + ":" + where + " " + e.getMessage(), e);
        }
    }

    /** As {@link #parsed} for a field that may be {@code null}. */
    <T> Optional<T> optionalParsed(String name, Function<String, T> parse) {
        return isNull(name) ? Optional.empty() : Optional.of(parsed(name, parse));
    }

    /** Refuses fields that were not read: this reader does not know them. */
    void finish() {
        Set<String> unknown = new TreeSet<>();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!read.contains(name)) {
                unknown.add(path(name));
            }
        }
        if (!unknown.isEmpty()) {
            throw new YoloFleetException(ErrorCode.BAD_RELEASE, source + ": unknown field" + (unknown.size() == 1 ? " " : "s ") + unknown
                    + " (written by a newer yolofleet?)");
        }
    }

    /** A failure about field {@code name} of this object. */
    YoloFleetException bad(String name, String problem) {
        return new YoloFleetException(ErrorCode.BAD_RELEASE, source + ": '" + path(name) + "' " + problem);
    }

    private interface ElementReader<T> {
        T read(JsonNode element, String path);
    }

    private <T> List<T> elements(String name, ElementReader<T> reader) {
        JsonNode value = required(name);
        if (!value.isArray()) {
            throw bad(name, "must be an array, got " + value);
        }
        List<T> elements = new ArrayList<>(value.size());
        for (int index = 0; index < value.size(); index++) {
            elements.add(reader.read(value.get(index), path(name) + "[" + index + "]"));
        }
        return List.copyOf(elements);
    }

    private double number(String name, JsonNode value) {
        return numberAt(path(name), value);
    }

    private double numberAt(String path, JsonNode value) {
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw new YoloFleetException(ErrorCode.BAD_RELEASE, source + ": '" + path + "' must be a finite number, got " + value);
        }
        return value.doubleValue();
    }

    private boolean isNull(String name) {
        return required(name).isNull();
    }

    private JsonNode required(String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            throw new YoloFleetException(ErrorCode.BAD_RELEASE, source + ": required field '" + path(name) + "' is missing");
        }
        read.add(name);
        return value;
    }

    private String path(String name) {
        return prefix + name;
    }
}

package org.yolofleet.core.model;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static java.util.Objects.requireNonNull;

/**
 * Class names as users give them: a Darknet {@code .names} file (one name per line, blank lines ignored) or a comma list.
 * Names are trimmed, non-empty, unique and hold no comma (the ONNX metadata joins them with commas).
 */
public final class ClassNames {
    private ClassNames() {}

    /** A file's lines when {@code fileOrList} names an existing file, else the comma-separated names it lists. */
    public static List<String> parse(String fileOrList) {
        requireNonNull(fileOrList, "fileOrList");
        Path file = pathOrNull(fileOrList);
        if (file != null && Files.isRegularFile(file)) {
            try {
                return parseLines(Files.readString(file, StandardCharsets.UTF_8));
            }
            catch (IOException e) {
                throw new YoloFleetException(ErrorCode.IO, "cannot read the class names file " + file + ": " + e.getMessage(), e);
            }
        }
        if (!fileOrList.contains(",") && (fileOrList.endsWith(".names") || fileOrList.endsWith(".txt"))) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, "class names file not found: " + fileOrList);
        }
        return check(List.of(fileOrList.split(",", -1)).stream().map(String::strip).toList());
    }

    /** Darknet's {@code .names} format: one name per line, blank lines ignored. */
    public static List<String> parseLines(String text) {
        requireNonNull(text, "text");
        return check(text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList());
    }

    /** {@code class_0}, {@code class_1}, ...: the names of a model whose names nobody gave. */
    public static List<String> placeholders(int count) {
        return IntStream.range(0, count).mapToObj(index -> "class_" + index).toList();
    }

    /** The names, checked, with a class count they must match. */
    public static List<String> check(List<String> names, int classCount) {
        List<String> checked = check(names);
        if (checked.size() != classCount) {
            throw new YoloFleetException(ErrorCode.CONFIG, "the model has " + classCount + " classes, got " + checked.size()
                    + " class names: " + String.join(",", checked));
        }
        return checked;
    }

    public static List<String> check(List<String> names) {
        requireNonNull(names, "names");
        if (names.isEmpty()) {
            throw new YoloFleetException(ErrorCode.CONFIG, "no class names given");
        }
        Set<String> seen = new HashSet<>();
        List<String> checked = new ArrayList<>(names.size());
        for (int index = 0; index < names.size(); index++) {
            String name = names.get(index).strip();
            if (name.isEmpty() || name.contains(",")) {
                throw new YoloFleetException(ErrorCode.CONFIG, "class name " + index + " ('" + name + "') must be non-empty and hold no comma");
            }
            if (!seen.add(name)) {
                throw new YoloFleetException(ErrorCode.CONFIG, "class name '" + name + "' appears twice");
            }
            checked.add(name);
        }
        return List.copyOf(checked);
    }

    private static Path pathOrNull(String text) {
        try {
            return Path.of(text);
        }
        catch (RuntimeException e) {
            return null;
        }
    }
}

package org.yolofleet.publish.compile;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The directories a program name is looked up in, as a shell's {@code PATH}: an input of the runner rather than
 * the JVM's environment read where it is used, so a host's PATH and a test's are handed in the same way. It is also
 * the PATH the compilers run with.
 *
 * @param directories searched in order
 */
public record SearchPath(List<Path> directories) {
    public SearchPath {
        directories = List.copyOf(directories);
    }

    /** The directories of a {@code PATH} value ({@code /usr/local/bin:/usr/bin}); empty entries are skipped. */
    public static SearchPath parse(String pathVariable) {
        if (pathVariable == null || pathVariable.isBlank()) {
            return new SearchPath(List.of());
        }
        return new SearchPath(Arrays.stream(pathVariable.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .toList());
    }

    /** This JVM's {@code PATH}. */
    public static SearchPath fromEnvironment() {
        return parse(System.getenv("PATH"));
    }

    /**
     * The executable file {@code program} names: an absolute path as it is, a bare name in the first directory that
     * holds an executable regular file of that name. Empty when there is none (a relative path with a directory is
     * never looked up: it would depend on the working directory).
     */
    public Optional<Path> find(String program) {
        requireNonNull(program, "program");
        Path path;
        try {
            path = Path.of(program);
        } catch (InvalidPathException invalid) {
            return Optional.empty();
        }
        if (path.isAbsolute()) {
            return executable(path) ? Optional.of(path) : Optional.empty();
        }
        if (path.getNameCount() != 1) {
            return Optional.empty();
        }
        return directories.stream().map(directory -> directory.resolve(program)).filter(SearchPath::executable).findFirst();
    }

    /** The {@code PATH} value for a child process. */
    public String text() {
        return directories.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static boolean executable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}

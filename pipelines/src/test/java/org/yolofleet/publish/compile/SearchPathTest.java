package org.yolofleet.publish.compile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class SearchPathTest {
    @TempDir
    Path directory;

    @Test
    void aNameIsFoundInTheFirstDirectoryHoldingAnExecutableFileOfThatName() throws IOException {
        Path first = Files.createDirectory(directory.resolve("first"));
        Path second = Files.createDirectory(directory.resolve("second"));
        file(first, "tool", "rw-r--r--");
        Path executable = file(second, "tool", "rwxr-xr-x");
        SearchPath path = SearchPath.parse(first + File.pathSeparator + File.pathSeparator + second);

        assertThat(path.directories()).containsExactly(first, second);
        assertThat(path.find("tool")).contains(executable);
        assertThat(path.find("other")).isEmpty();
        assertThat(path.text()).isEqualTo(first + File.pathSeparator + second);
    }

    @Test
    void anAbsolutePathIsTakenAsItIsAndARelativeOneWithADirectoryNever() throws IOException {
        Path executable = file(directory, "tool", "rwxr-xr-x");
        SearchPath empty = SearchPath.parse("");

        assertThat(empty.find(executable.toString())).contains(executable);
        assertThat(empty.find(directory.resolve("absent").toString())).isEmpty();
        assertThat(SearchPath.parse(directory.getParent().toString()).find(directory.getFileName() + "/tool")).isEmpty();
    }

    private static Path file(Path directory, String name, String permissions) throws IOException {
        Path file = Files.writeString(directory.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }
}

package org.yolofleet.device.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.device.DeviceFixture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottledReleaseSourceTest {
    @TempDir
    Path directory;

    @Test
    void passesEveryByteThroughInReadsOfAtMostATenthOfTheCap() throws IOException {
        byte[] object = DeviceFixture.randomBytes(50_000, 11);
        Files.createDirectories(directory.resolve("releases"));
        Files.write(directory.resolve("releases/object"), object);
        ThrottledReleaseSource throttled = new ThrottledReleaseSource(new FileReleaseSource(directory), 1_000_000);

        try (InputStream input = throttled.open("releases/object", 1000)) {
            byte[] buffer = new byte[1 << 20];
            int first = input.read(buffer, 0, buffer.length);
            assertThat(first).isBetween(1, 100_000);
            byte[] rest = input.readAllBytes();
            byte[] all = new byte[first + rest.length];
            System.arraycopy(buffer, 0, all, 0, first);
            System.arraycopy(rest, 0, all, first, rest.length);
            assertThat(all).isEqualTo(Arrays.copyOfRange(object, 1000, object.length));
        }
    }
}

package org.yolofleet.jobs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class AugmentCommandTest {
    @Test
    void helpNamesTheOptionsAndTheKeys() {
        Captured captured = run("augment", "--help");

        assertThat(captured.exitCode).isZero();
        assertThat(captured.out).contains("Usage: yolofleet augment").contains("--input").contains("--output").contains("--overwrite")
                .contains("yolofleet.augment.*");
    }

    @Test
    void aWrongValueFailsAtStartWithTheKeyNamed() {
        Captured captured = run("augment", "--input", "file:/nowhere", "--output", "file:/nowhere-out", "--set", "augment.flip=2");

        assertThat(captured.exitCode).isEqualTo(YoloFleet.EXIT_FAILURE);
        assertThat(captured.err).contains("[CONFIG]").contains("yolofleet.augment.flip = 2.0 is out of range");
    }

    @Test
    void theInputIsRequired() {
        Captured captured = run("augment", "--output", "file:/nowhere-out");

        assertThat(captured.exitCode).isEqualTo(YoloFleet.EXIT_FAILURE);
        assertThat(captured.err).contains("yolofleet.augment.input is empty");
    }

    private record Captured(int exitCode, String out, String err) {
    }

    private static Captured run(String... arguments) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exitCode = YoloFleet.execute(arguments);
            return new Captured(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}

package org.yolofleet.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class YoloFleetCliTest {
    @ParameterizedTest
    @ValueSource(strings = {"generate-sample", "prepare", "augment", "run-local"})
    void everyVerbHasHelp(String verb) {
        Captured captured = run(verb, "--help");
        assertThat(captured.exitCode).isZero();
        assertThat(captured.out).contains("Usage: yolofleet " + verb).contains("--help");
    }

    @Test
    void topLevelHelpListsTheVerbs() {
        Captured captured = run("--help");
        assertThat(captured.exitCode).isZero();
        assertThat(captured.out).contains("generate-sample").contains("prepare").contains("run-local");
    }

    @Test
    void badConfigurationValueFailsWithTheKeyNamed() {
        Captured captured = run("prepare", "--input", "file:/nowhere", "--output", "file:/nowhere-out",
                "--set", "prepare.split.val-fraction=2");
        assertThat(captured.exitCode).isEqualTo(YoloFleet.EXIT_FAILURE);
        assertThat(captured.err).contains("[CONFIG]").contains("yolofleet.prepare.split.val-fraction = 2.0");
    }

    @Test
    void unknownVerbIsAUsageError() {
        assertThat(run("fly").exitCode).isEqualTo(2);
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

package org.yolofleet.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yolofleet.core.error.ErrorType;

import static org.assertj.core.api.Assertions.assertThat;

class YoloFleetCliTest {
    @ParameterizedTest
    @ValueSource(strings = {"generate-sample", "prepare", "augment", "train", "detect", "prelabel", "model", "run-local"})
    void everyVerbHasHelp(String verb) {
        CommandLineRun captured = CommandLineRun.of(verb, "--help");
        assertThat(captured.exitCode()).isZero();
        assertThat(captured.out()).contains("Usage: yolofleet " + verb).contains("--help");
    }

    @Test
    void topLevelHelpListsTheVerbs() {
        CommandLineRun captured = CommandLineRun.of("--help");
        assertThat(captured.exitCode()).isZero();
        assertThat(captured.out()).contains("generate-sample").contains("prepare").contains("run-local");
    }

    @Test
    void badConfigurationValueFailsWithTheKeyNamed() {
        CommandLineRun captured = CommandLineRun.of("prepare", "--input", "file:/nowhere", "--output", "file:/nowhere-out",
                "--set", "prepare.split.val-fraction=2");
        assertThat(captured.exitCode()).isEqualTo(ErrorType.USER.exitCode());
        assertThat(captured.err()).contains("[CONFIG]").contains("yolofleet.prepare.split.val-fraction = 2.0");
    }

    @Test
    void misspeltConfigurationKeyFailsWithTheClosestKnownKey() {
        CommandLineRun captured = CommandLineRun.of("prepare", "--input", "file:/nowhere", "--output", "file:/nowhere-out",
                "--set", "train.optimiser.learning-rate=0.01");
        assertThat(captured.exitCode()).isEqualTo(ErrorType.USER.exitCode());
        assertThat(captured.err()).isEqualTo("error: [CONFIG] yolofleet.train.optimiser.learning-rate (--set) is not a known key;"
                + " did you mean yolofleet.train.optimizer.learning-rate?" + System.lineSeparator());
    }

    @Test
    void unknownVerbIsAUsageError() {
        assertThat(CommandLineRun.of("fly").exitCode()).isEqualTo(YoloFleet.EXIT_USAGE);
    }
}

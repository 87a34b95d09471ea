package org.yolofleet.jobs;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorType;


import static org.assertj.core.api.Assertions.assertThat;

class AugmentCommandTest {
    @Test
    void helpNamesTheOptionsAndTheKeys() {
        CommandLineRun captured = CommandLineRun.of("augment", "--help");

        assertThat(captured.exitCode()).isZero();
        assertThat(captured.out()).contains("Usage: yolofleet augment").contains("--input").contains("--output").contains("--overwrite")
                .contains("yolofleet.augment.*");
    }

    @Test
    void aWrongValueFailsAtStartWithTheKeyNamed() {
        CommandLineRun captured = CommandLineRun.of("augment", "--input", "file:/nowhere", "--output", "file:/nowhere-out", "--set", "augment.flip=2");

        assertThat(captured.exitCode()).isEqualTo(ErrorType.USER.exitCode());
        assertThat(captured.err()).contains("[CONFIG]").contains("yolofleet.augment.flip = 2.0 is out of range");
    }

    @Test
    void theInputIsRequired() {
        CommandLineRun captured = CommandLineRun.of("augment", "--output", "file:/nowhere-out");

        assertThat(captured.exitCode()).isEqualTo(ErrorType.USER.exitCode());
        assertThat(captured.err()).contains("yolofleet.augment.input is empty");
    }
}

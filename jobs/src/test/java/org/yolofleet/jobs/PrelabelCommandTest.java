package org.yolofleet.jobs;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorType;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code yolofleet prelabel}'s settings are checked before any Spark work; the stage itself is PrelabelStageTest's. */
class PrelabelCommandTest {
    @Test
    void outOfRangeThresholdIsAUserErrorNamingIt() {
        CommandLineRun captured = CommandLineRun.of("prelabel", "--images", "/data/new/JPEGImages", "--model", "model.onnx",
                "--threshold", "1.5");

        assertThat(captured.exitCode()).isEqualTo(ErrorType.USER.exitCode());
        assertThat(captured.err()).contains("threshold 1.5").contains("[0, 1]");
    }

    @Test
    void imagesWithoutAParentFolderNeedAnOutput() {
        CommandLineRun captured = CommandLineRun.of("prelabel", "--images", "s3a://photos", "--model", "model.onnx");

        assertThat(captured.exitCode()).isEqualTo(ErrorType.USER.exitCode());
        assertThat(captured.err()).contains("s3a://photos").contains("--output");
    }

    @Test
    void helpNamesTheLoopAndTheKeys() {
        CommandLineRun captured = CommandLineRun.of("prelabel", "--help");

        assertThat(captured.exitCode()).isZero();
        assertThat(captured.out()).contains("--images").contains("--overwrite").contains("yolofleet.detect.threshold");
    }
}

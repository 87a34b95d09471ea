package org.yolofleet.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorType;
import org.yolofleet.detect.spark.SparkDetectRun;
import org.yolofleet.ml.MlFixtures;
import org.yolofleet.testing.LocalSpark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code yolofleet detect --spark} and the configured switch to it, end to end through the command line on local[2]. */
class DetectCommandSparkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    private static Path model;
    private static Path images;

    @BeforeAll
    static void modelAndImages() throws IOException {
        LocalSpark.session(); // the session the command's getOrCreate finds: local[2], bound to 127.0.0.1
        model = MlFixtures.onnxModel(directory);
        images = directory.resolve("site-7");
        MlFixtures.plainImages(images);
        MlFixtures.truncatedJpeg(images);
    }

    @Test
    void sparkWritesTheOutputBySourceAndPrintsTheSummaryWithTheBadImage() throws IOException {
        Path output = directory.resolve("spark-output");

        CommandLineRun captured = CommandLineRun.of("detect", "--spark", "--model", model.toString(), "--threshold", "0.1",
                "--output", output.toString(), images.toString());

        assertThat(captured.exitCode()).as(captured.err()).isEqualTo(ErrorType.BAD_DATA.exitCode());
        assertThat(captured.out()).isEmpty();
        assertThat(captured.err()).contains("detect: 6 images in").contains("images/s").contains("failed: 1 images")
                .contains("g-cut.jpg: ").contains("sources: 1 (" + images + " 6)");
        assertThat(JSON.readTree(Files.readString(output.resolve(SparkDetectRun.MARKER))).get("images").asInt()).isEqualTo(6);
        assertThat(output.resolve(SparkDetectRun.PARQUET)).isDirectory();
        assertThat(output.resolve(SparkDetectRun.JSON_LINES)).isDirectory();
    }

    @Test
    void aboveTheConfiguredImageCountDetectRunsAsASparkJob() {
        Path spark = directory.resolve("above");
        Path oneJvm = directory.resolve("below");

        CommandLineRun above = CommandLineRun.of("detect", "--model", model.toString(), "--set", "detect.spark-above-images=5",
                "--output", spark.toString(), images.toString());
        CommandLineRun below = CommandLineRun.of("detect", "--model", model.toString(), "--set", "detect.spark-above-images=6",
                "--output", oneJvm.toString(), images.toString());

        assertThat(above.err()).contains("6 images, more than yolofleet.detect.spark-above-images = 5: running as a Spark job");
        assertThat(spark.resolve(SparkDetectRun.MARKER)).exists();
        assertThat(below.err()).doesNotContain("Spark job");
        assertThat(oneJvm.resolve("detections.jsonl")).exists();
        assertThat(oneJvm.resolve(SparkDetectRun.MARKER)).doesNotExist();
    }

    @Test
    void sparkRefusesNamesAndNeedsAnOutputBeforeAnyWork() {
        CommandLineRun names = CommandLineRun.of("detect", "--spark", "--model", model.toString(), "--names", "a,b,c",
                "--output", directory.resolve("never").toString(), images.toString());
        CommandLineRun noOutput = CommandLineRun.of("detect", "--spark", "--model", model.toString(), images.toString());

        assertThat(names.exitCode()).isEqualTo(ErrorType.USER.exitCode());
        assertThat(names.err()).contains("[CONFIG] detect --spark takes no --names");
        assertThat(noOutput.exitCode()).isEqualTo(ErrorType.USER.exitCode());
        assertThat(noOutput.err()).contains("[CONFIG] detect --spark needs --output URI");
        assertThat(directory.resolve("never")).doesNotExist();
    }
}

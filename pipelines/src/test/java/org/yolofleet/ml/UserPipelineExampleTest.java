package org.yolofleet.ml;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.detect.DetectFixtures;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.testing.LocalSpark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's Spark ML example runs and counts what the one-JVM detector finds, and the README quotes it as it is. */
class UserPipelineExampleTest {
    private static final Path SOURCE = Path.of("src/test/java/org/yolofleet/ml/UserPipelineExample.java");
    private static final Path README = Path.of("../README.md");

    @TempDir
    Path directory;

    @Test
    void countsTheObjectsOfEachPhotoPerClass() throws IOException {
        Path model = MlFixtures.onnxModel(directory);
        List<Path> photos = MlFixtures.plainImages(directory.resolve("photos"));
        Map<String, List<Detection>> oneJvm = MlFixtures.oneJvmDetections(model, photos, new DetectionThresholds(0.3, 0.45));
        Map<String, Long> expected = new HashMap<>();
        oneJvm.forEach((file, detections) -> detections.forEach(detection ->
                expected.merge(file + " " + DetectFixtures.BCCD_CLASSES.get(detection.classId()), 1L, Long::sum)));

        List<Row> rows = UserPipelineExample.objectsPerClass(LocalSpark.session(), model.toString(), directory.resolve("photos").toString(),
                directory.resolve("pipeline").toString()).collectAsList();

        Map<String, Long> counted = new HashMap<>();
        rows.forEach(row -> counted.put(MlFixtures.fileName(row.getString(0)) + " " + row.getString(1), row.getLong(2)));
        assertThat(counted).isNotEmpty().isEqualTo(expected);
    }

    @Test
    void readmeQuotesTheExample() throws IOException {
        String source = Files.readString(SOURCE);
        String example = source.substring(source.indexOf("// README begin\n") + "// README begin\n".length(), source.indexOf("    // README end"));
        String unindented = example.lines().map(line -> line.startsWith("    ") ? line.substring(4) : line)
                .reduce("", (text, line) -> text + line + "\n");

        assertThat(Files.readString(README)).contains(unindented);
    }
}

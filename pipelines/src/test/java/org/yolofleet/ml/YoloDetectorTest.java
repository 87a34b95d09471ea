package org.yolofleet.ml;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.testing.LocalSpark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link YoloDetector} on local[2] finds what the one-JVM detector finds, from Spark's image source and from binary
 * files, and saves and loads alone and inside a {@code PipelineModel}.
 */
class YoloDetectorTest {
    @TempDir
    static Path directory;

    private static SparkSession spark;
    private static Path model;
    private static Path plain;
    private static Path files;
    private static Map<String, List<Detection>> expected;

    @BeforeAll
    static void modelAndImages() throws IOException {
        spark = LocalSpark.session();
        model = MlFixtures.onnxModel(directory);
        plain = directory.resolve("plain");
        List<Path> images = new ArrayList<>(MlFixtures.plainImages(plain));
        files = directory.resolve("files");
        Files.createDirectories(files);
        for (Path image : images) {
            Files.copy(image, files.resolve(image.getFileName()));
        }
        images.add(MlFixtures.rotatedJpeg(files));
        MlFixtures.truncatedJpeg(files);
        Files.write(plain.resolve("h-not-an-image.jpg"), "not an image".getBytes(StandardCharsets.UTF_8));
        expected = MlFixtures.oneJvmDetections(model, images, MlFixtures.THRESHOLDS);
        assertThat(expected.values().stream().mapToInt(List::size).sum()).as("the random model finds something").isPositive();
    }

    private static YoloDetector detector() {
        return new YoloDetector().setModelUri(model.toString()).setThreshold(MlFixtures.THRESHOLDS.score())
                .setNms(MlFixtures.THRESHOLDS.nonMaxSuppressionIou()).setBatchSize(2);
    }

    @Test
    void oneModelInstanceServesEveryTaskOfTheJvm() throws IOException {
        Path copy = Files.copy(model, directory.resolve("shared.onnx"));
        YoloDetector detector = detector().setModelUri(copy.toString()).setInputCol("content");
        int loadsBefore = ExecutorModels.loads();

        long rows = detector.transform(binaryFiles().repartition(6)).count() + detector.transform(binaryFiles().repartition(3)).count();

        assertThat(rows).isEqualTo(2L * (expected.size() + 1));
        assertThat(ExecutorModels.loads() - loadsBefore).as("loads of a new model URI by 9 tasks on local[2]").isEqualTo(1);
    }

    private static Dataset<Row> binaryFiles() {
        return spark.read().format("binaryFile").load(files.toString()).repartition(2);
    }

    @Test
    void binaryFilesGetTheOneJvmDetectionsAndAnUndecodableFileGetsNull() {
        Dataset<Row> detected = detector().setInputCol("content").transform(binaryFiles());

        Map<String, List<Detection>> found = byFileName(detected.select("path", "detections").collectAsList());
        assertThat(found).containsKey("g-cut.jpg").hasSize(expected.size() + 1);
        assertThat(found.get("g-cut.jpg")).as("a cut JPEG, which detect skips").isNull();
        found.remove("g-cut.jpg");
        assertThat(found).isEqualTo(expected);
        assertThat(detected.schema().apply("detections").dataType()).isEqualTo(DetectionColumn.TYPE);
        assertThat(detected.columns()).containsExactly("path", "modificationTime", "length", "content", "detections");
    }

    @Test
    void sparkImageSourceRowsGetTheOneJvmDetections() {
        Dataset<Row> images = spark.read().format("image").load(plain.toString());

        Dataset<Row> detected = detector().transform(images);

        Map<String, List<Detection>> found = byFileName(detected.select(col("image.origin"), col("detections")).collectAsList());
        Map<String, List<Detection>> plainExpected = new LinkedHashMap<>(expected);
        plainExpected.remove("f-exif6.jpg");
        plainExpected.put("h-not-an-image.jpg", null); // Spark's invalid-image row: size -1, no data
        assertThat(found).isEqualTo(plainExpected);
        assertThat(detected.select("detections.className").collectAsList().stream()
                .filter(row -> !row.isNullAt(0)).flatMap(row -> row.<String>getList(0).stream()))
                .isNotEmpty().allMatch(name -> List.of("WBC", "RBC", "Platelets").contains(name));
    }

    @Test
    void savedAndLoadedDetectorHasItsParamsAndFindsTheSame() throws IOException {
        YoloDetector original = detector().setInputCol("content").setOutputCol("found").setBatchSize(3);
        String saved = directory.resolve("saved-detector").toString();

        original.write().save(saved);
        YoloDetector loaded = YoloDetector.load(saved);

        assertThat(loaded.uid()).isEqualTo(original.uid());
        assertThat(loaded.getModelUri()).isEqualTo(model.toString());
        assertThat(loaded.getInputCol()).isEqualTo("content");
        assertThat(loaded.getOutputCol()).isEqualTo("found");
        assertThat(loaded.getThreshold()).isEqualTo(MlFixtures.THRESHOLDS.score());
        assertThat(loaded.getNms()).isEqualTo(MlFixtures.THRESHOLDS.nonMaxSuppressionIou());
        assertThat(loaded.getBatchSize()).isEqualTo(3);
        assertThat(loaded.getRuntime()).isEqualTo("onnxruntime");
        assertThat(rowsByPath(loaded.transform(binaryFiles()).select("path", "found")))
                .isEqualTo(rowsByPath(original.transform(binaryFiles()).select("path", "found")));
    }

    @Test
    void pipelineModelWithTheDetectorSavesAndLoads() throws IOException {
        SQLTransformer counts = new SQLTransformer().setStatement("SELECT path, size(detections) AS objects, detections FROM __THIS__");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {detector().setInputCol("content"), counts});
        PipelineModel fitted = pipeline.fit(binaryFiles());
        String saved = directory.resolve("saved-pipeline").toString();

        fitted.write().overwrite().save(saved);
        PipelineModel loaded = PipelineModel.load(saved);

        assertThat(loaded.stages()).hasSize(2);
        assertThat(loaded.stages()[0]).isInstanceOf(YoloDetector.class);
        Map<String, Row> reloaded = rowsByPath(loaded.transform(binaryFiles()));
        assertThat(reloaded).isEqualTo(rowsByPath(fitted.transform(binaryFiles())));
        assertThat(reloaded.values().stream().mapToInt(row -> row.getInt(1)).filter(objects -> objects > 0)).isNotEmpty();
    }

    @Test
    void schemaErrorsNameTheColumnAndWhatIsAccepted() {
        Dataset<Row> paths = spark.read().format("binaryFile").load(files.toString());

        assertThatThrownBy(() -> detector().setInputCol("path").transformSchema(paths.schema()))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("inputCol 'path' has type string")
                .hasMessageContaining("spark.read.format(\"image\")")
                .hasMessageContaining("binaryFile");
        assertThatThrownBy(() -> detector().setInputCol("picture").transform(paths))
                .hasMessageContaining("inputCol 'picture' is not a column of the input")
                .hasMessageContaining("path, modificationTime, length, content");
        assertThatThrownBy(() -> detector().setInputCol("content").setOutputCol("length").transformSchema(paths.schema()))
                .hasMessageContaining("outputCol 'length' is a column of the input");
        assertThatThrownBy(() -> new YoloDetector().setInputCol("content").transformSchema(paths.schema()))
                .hasMessageContaining("has no modelUri");
        assertThatThrownBy(() -> detector().setThreshold(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold");
        assertThat(detector().setInputCol("content").transformSchema(paths.schema()).apply("detections").dataType())
                .isEqualTo(DetectionColumn.TYPE);
        assertThat(DetectionColumn.DETECTION.apply("className").dataType()).isEqualTo(DataTypes.StringType);
    }

    /** Each row's detections by the file name of its first column (a path or an image origin); null stays null. */
    private static Map<String, List<Detection>> byFileName(List<Row> rows) {
        Map<String, List<Detection>> found = new LinkedHashMap<>();
        for (Row row : rows) {
            List<Row> detections = row.isNullAt(1) ? null : row.getList(1);
            found.put(MlFixtures.fileName(row.getString(0)), detections == null ? null : detections.stream().map(DetectionColumn::detection).toList());
        }
        return found;
    }

    private static Map<String, Row> rowsByPath(Dataset<Row> rows) {
        Map<String, Row> byPath = new LinkedHashMap<>();
        rows.collectAsList().forEach(row -> byPath.put(row.getString(0), row));
        return byPath;
    }
}

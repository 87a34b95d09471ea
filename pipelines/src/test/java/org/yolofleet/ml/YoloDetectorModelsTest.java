package org.yolofleet.ml;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.detect.DetectFixtures;
import org.yolofleet.model.DarknetWeightsImporter;
import org.yolofleet.model.ModelCheckpoint;
import org.yolofleet.model.TinyYoloGraphBuilder;
import org.yolofleet.testing.LocalSpark;
import org.yolofleet.testing.S3ProxyHadoop;
import org.yolofleet.testing.S3ProxyServer;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The models {@link YoloDetector} takes: a release directory in S3 (read through s3a), a DL4J checkpoint in ONNX Runtime
 * (exported in memory) and in DL4J, each giving the detections the one-JVM detector gives; a missing model and a wrong
 * runtime fail naming the URI.
 */
class YoloDetectorModelsTest {
    private static final String BUCKET = "yolofleet-models";

    @TempDir
    static Path directory;

    private static S3ProxyServer server;
    private static SparkSession spark;
    private static Path onnx;
    private static Path checkpoint;
    private static List<Path> images;
    private static Map<String, List<Detection>> expected;

    @BeforeAll
    static void models() throws IOException, InterruptedException {
        server = S3ProxyServer.start(directory, List.of(BUCKET));
        spark = LocalSpark.session();
        S3ProxyHadoop.apply(server, spark.sparkContext().hadoopConfiguration());
        onnx = MlFixtures.onnxModel(directory);
        images = MlFixtures.plainImages(directory.resolve("images"));
        expected = MlFixtures.oneJvmDetections(onnx, images, MlFixtures.THRESHOLDS);

        ModelSpec spec = MlFixtures.spec();
        DarknetWeights weights = DetectFixtures.randomWeights(spec, MlFixtures.WEIGHTS_SEED);
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();
        DarknetWeightsImporter.importAll(weights, spec, network);
        checkpoint = directory.resolve("checkpoint.zip");
        ModelCheckpoint.write(network, spec, DetectFixtures.BCCD_CLASSES, checkpoint, false);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, List<Detection>> detect(YoloDetector detector) {
        Dataset<Row> files = spark.read().format("binaryFile").load(directory.resolve("images").toString());
        Map<String, List<Detection>> found = new LinkedHashMap<>();
        for (Row row : detector.setInputCol("content").setThreshold(MlFixtures.THRESHOLDS.score()).transform(files)
                .select("path", "detections").collectAsList()) {
            found.put(MlFixtures.fileName(row.getString(0)), row.<Row>getList(1).stream().map(DetectionColumn::detection).toList());
        }
        return found;
    }

    @Test
    void releaseDirectoryInS3IsReadThroughS3a() throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        try (FileSystem s3 = FileSystem.newInstance(URI.create("s3a://" + BUCKET + "/"), hadoop)) {
            s3.copyFromLocalFile(new org.apache.hadoop.fs.Path(onnx.toUri()),
                    new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/releases/cells/v1/model.onnx"));
        }

        assertThat(detect(new YoloDetector().setModelUri("s3a://" + BUCKET + "/releases/cells/v1"))).isEqualTo(expected);
    }

    @Test
    void checkpointRunsInOnnxRuntimeByDefaultAndInDl4jOnRequest() throws IOException {
        Map<String, List<Detection>> inOnnxRuntime = detect(new YoloDetector().setModelUri(checkpoint.toString()));
        assertThat(inOnnxRuntime.keySet()).isEqualTo(expected.keySet());
        expected.forEach((image, detections) -> {
            List<Detection> found = inOnnxRuntime.get(image);
            assertThat(found).as("the checkpoint exported to ONNX in memory finds what the ONNX export of its weights finds in " + image)
                    .hasSameSizeAs(detections);
            for (int index = 0; index < found.size(); index++) {
                assertThat(found.get(index).classId()).isEqualTo(detections.get(index).classId());
                assertThat(found.get(index).score()).isCloseTo(detections.get(index).score(), within(1e-5));
                assertThat(found.get(index).box().xmin()).isCloseTo(detections.get(index).box().xmin(), within(1e-3));
                assertThat(found.get(index).box().ymax()).isCloseTo(detections.get(index).box().ymax(), within(1e-3));
            }
        });
        assertThat(detect(new YoloDetector().setModelUri(checkpoint.toString()).setRuntime("dl4j")))
                .as("in DL4J, what yolofleet detect checkpoint.zip finds")
                .isEqualTo(MlFixtures.oneJvmDetections(checkpoint, images, MlFixtures.THRESHOLDS));
    }

    @Test
    void missingModelsAndWrongRuntimesFailNamingTheUri() {
        String missing = directory.resolve("nowhere/model.onnx").toString();
        assertThatThrownBy(() -> detect(new YoloDetector().setModelUri(missing)))
                .hasMessageContaining("YoloDetector modelUri " + missing + " does not exist");
        assertThatThrownBy(() -> detect(new YoloDetector().setModelUri(onnx.toString()).setRuntime("dl4j")))
                .hasMessageContaining("runtime dl4j runs DL4J checkpoints")
                .hasMessageContaining(onnx.toString());
        assertThatThrownBy(() -> new YoloDetector().setRuntime("tensorflow")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runtime");
    }
}

package org.yolofleet.detect.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.detect.DetectRequest;
import org.yolofleet.detect.DetectRun;
import org.yolofleet.detect.DetectSummary;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.ModelLoader;
import org.yolofleet.detect.ModelSource;
import org.yolofleet.ml.MlFixtures;
import org.yolofleet.testing.LocalSpark;
import org.yolofleet.testing.S3ProxyHadoop;
import org.yolofleet.testing.S3ProxyServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code detect --spark} through {@code s3a://} against S3Proxy: the model, the images (two prefixes, one with a cut JPEG)
 * and the output all in S3; the JSON lines equal what the one-JVM {@code detect} writes for the same S3 images, the bad
 * image is counted with its reason, and only the committed output is left in the bucket.
 */
class SparkDetectRunS3Test {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "yolofleet-detect";
    private static final String PHOTOS = "s3a://" + BUCKET + "/photos/";
    private static final String OUTPUT = "s3a://" + BUCKET + "/detections/2026-12-06";

    @TempDir
    static Path directory;

    private static S3ProxyServer server;
    private static SparkSession spark;
    private static Configuration hadoop;
    private static Map<String, List<JsonNode>> oneJvmLines;
    private static DetectSummary oneJvm;
    private static SparkDetectSummary summary;

    @BeforeAll
    static void detectInS3() throws IOException, InterruptedException {
        server = S3ProxyServer.start(directory, List.of(BUCKET));
        spark = LocalSpark.session();
        hadoop = spark.sparkContext().hadoopConfiguration();
        S3ProxyHadoop.apply(server, hadoop);
        Path model = MlFixtures.onnxModel(directory);
        Path siteA = directory.resolve("site-a");
        Path siteB = directory.resolve("site-b");
        MlFixtures.plainImages(siteA);
        MlFixtures.plainImages(siteB);
        MlFixtures.truncatedJpeg(siteB);
        try (FileSystem s3 = FileSystem.newInstance(URI.create("s3a://" + BUCKET + "/"), hadoop)) {
            s3.copyFromLocalFile(new org.apache.hadoop.fs.Path(model.toUri()), new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/models/model.onnx"));
            s3.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(siteA.toUri()), new org.apache.hadoop.fs.Path(PHOTOS + "site-a"));
            s3.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(siteB.toUri()), new org.apache.hadoop.fs.Path(PHOTOS + "site-b"));
        }
        DetectRequest request = new DetectRequest(List.of(PHOTOS + "site-a", PHOTOS + "site-b/"), MlFixtures.THRESHOLDS,
                Optional.of(OUTPUT), DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);

        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        try (Detector detector = ModelLoader.load(ModelSource.of(model))) {
            oneJvm = new DetectRun(detector, new DetectRequest(request.inputs(), request.thresholds(), Optional.empty(),
                    request.maxImagePixels()), hadoop).run(new PrintStream(lines, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        }
        oneJvmLines = new TreeMap<>();
        for (String line : lines.toString(StandardCharsets.UTF_8).lines().toList()) {
            ObjectNode detection = (ObjectNode) JSON.readTree(line);
            oneJvmLines.computeIfAbsent(detection.remove("image").asText(), image -> new ArrayList<>()).add(detection);
        }

        summary = new SparkDetectRun(spark, "s3a://" + BUCKET + "/models/model.onnx", request, Clock.systemUTC())
                .run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void jsonLinesInS3EqualTheOneJvmDetectionsOfTheSameS3Images() throws IOException {
        Map<String, List<JsonNode>> found = new TreeMap<>();
        Map<String, String> errors = new TreeMap<>();
        Map<String, String> sources = new TreeMap<>();
        for (Row row : spark.read().text(OUTPUT + "/" + SparkDetectRun.JSON_LINES).collectAsList()) {
            JsonNode json = JSON.readTree(row.getString(row.fieldIndex("value")));
            String image = json.get("image").asText();
            sources.put(image, row.getString(row.fieldIndex("source")));
            if (json.has("error")) {
                errors.put(image, json.get("error").asText());
                continue;
            }
            List<JsonNode> detections = new ArrayList<>();
            json.get("detections").forEach(detections::add);
            if (!detections.isEmpty()) {
                found.put(image, detections);
            }
        }
        assertThat(sources).hasSize(11);
        assertThat(sources.get(PHOTOS + "site-a/a.jpg")).isEqualTo(PHOTOS + "site-a");
        assertThat(sources.get(PHOTOS + "site-b/a.jpg")).isEqualTo(PHOTOS + "site-b");
        assertThat(errors).containsOnlyKeys(PHOTOS + "site-b/g-cut.jpg");
        assertThat(oneJvmLines).as("the random model finds something").isNotEmpty();
        assertThat(found).isEqualTo(oneJvmLines);
    }

    @Test
    void summaryCountsTheBadImageAndEveryGoodOne() {
        assertThat(summary.images()).isEqualTo(11);
        assertThat(summary.detectedImages()).isEqualTo(10);
        assertThat(summary.failures()).containsExactlyElementsOf(oneJvm.failures());
        assertThat(summary.detections()).isEqualTo(oneJvm.detections());
        assertThat(summary.imagesPerSource()).containsExactly(Map.entry(PHOTOS + "site-a", 5L), Map.entry(PHOTOS + "site-b", 6L));
        assertThat(summary.model()).contains("onnxruntime");
    }

    @Test
    void onlyTheCommittedOutputIsLeftInTheBucket() throws IOException {
        try (FileSystem s3 = FileSystem.newInstance(URI.create(OUTPUT), hadoop)) {
            List<String> names = new ArrayList<>();
            for (FileStatus status : s3.listStatus(new org.apache.hadoop.fs.Path(OUTPUT))) {
                names.add(status.getPath().getName());
            }
            assertThat(names).contains(SparkDetectRun.PARQUET, SparkDetectRun.JSON_LINES, SparkDetectRun.MARKER);
            // no object under a staging prefix (S3Proxy's filesystem backend may still list the emptied folder itself)
            RemoteIterator<LocatedFileStatus> files = s3.listFiles(new org.apache.hadoop.fs.Path(OUTPUT), true);
            List<String> objects = new ArrayList<>();
            while (files.hasNext()) {
                objects.add(files.next().getPath().toString());
            }
            assertThat(objects).isNotEmpty().noneMatch(object -> object.contains("/_staging-"));
        }
        assertThat(spark.read().parquet(OUTPUT + "/" + SparkDetectRun.PARQUET).count()).isEqualTo(11);
    }
}

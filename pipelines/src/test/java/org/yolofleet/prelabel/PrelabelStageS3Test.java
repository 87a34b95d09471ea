package org.yolofleet.prelabel;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.ml.MlFixtures;
import org.yolofleet.testing.LocalSpark;
import org.yolofleet.testing.S3ProxyHadoop;
import org.yolofleet.testing.S3ProxyServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code prelabel} through {@code s3a://} against S3Proxy: a release in S3, new images in S3 (one of them cut), the VOC
 * XML written to {@code Annotations} beside them in S3, byte for byte what the same run writes on the local disk; the cut
 * image reported and left without a file; no staging folder left in the bucket.
 */
class PrelabelStageS3Test {
    private static final String BUCKET = "yolofleet-prelabel";
    private static final String IMAGES = "s3a://" + BUCKET + "/site-7/JPEGImages";
    private static final String ANNOTATIONS = "s3a://" + BUCKET + "/site-7/Annotations";

    @TempDir
    static Path directory;

    private static S3ProxyServer server;
    private static Configuration hadoop;
    private static PrelabelSummary inS3;
    private static PrelabelSummary onDisk;
    private static Path localAnnotations;

    @BeforeAll
    static void prelabelBothWays() throws IOException, InterruptedException {
        server = S3ProxyServer.start(directory, List.of(BUCKET));
        SparkSession spark = LocalSpark.session();
        hadoop = spark.sparkContext().hadoopConfiguration();
        S3ProxyHadoop.apply(server, hadoop);
        Path model = MlFixtures.onnxModel(directory);
        Path images = directory.resolve("site-7/JPEGImages");
        MlFixtures.plainImages(images);
        MlFixtures.truncatedJpeg(images);
        try (FileSystem s3 = FileSystem.newInstance(URI.create("s3a://" + BUCKET + "/"), hadoop)) {
            s3.copyFromLocalFile(new org.apache.hadoop.fs.Path(model.toUri()),
                    new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/releases/cells/v1/model.onnx"));
            s3.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(images.toUri()), new org.apache.hadoop.fs.Path(IMAGES));
        }
        double score = MlFixtures.THRESHOLDS.score();
        double nms = MlFixtures.THRESHOLDS.nonMaxSuppressionIou();

        inS3 = new PrelabelStage(spark, PrelabelConfig.of(IMAGES, "s3a://" + BUCKET + "/releases/cells/v1", Optional.empty(), score, nms,
                false), Clock.systemUTC()).run();
        localAnnotations = directory.resolve("site-7/Annotations");
        onDisk = new PrelabelStage(spark, PrelabelConfig.of(images.toUri().toString(), model.toString(), Optional.empty(), score, nms,
                false), Clock.systemUTC()).run();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void annotationsInS3AreWhatTheSameRunWritesLocally() throws IOException {
        assertThat(inS3.output()).isEqualTo(ANNOTATIONS);
        assertThat(inS3.written()).isEqualTo(5).isEqualTo(onDisk.written());
        assertThat(inS3.boxesPerClass()).isEqualTo(onDisk.boxesPerClass());
        assertThat(inS3.boxes()).as("the random model finds something").isPositive();

        Map<String, String> written = new TreeMap<>();
        try (FileSystem s3 = FileSystem.newInstance(URI.create(ANNOTATIONS), hadoop)) {
            // every object, recursively: none may be left under a staging prefix (S3Proxy's filesystem backend may still
            // list the emptied folder itself, which holds nothing)
            RemoteIterator<LocatedFileStatus> files = s3.listFiles(new org.apache.hadoop.fs.Path(ANNOTATIONS), true);
            while (files.hasNext()) {
                LocatedFileStatus status = files.next();
                try (InputStream input = s3.open(status.getPath())) {
                    String relative = status.getPath().toString().substring(ANNOTATIONS.length() + 1);
                    written.put(relative, new String(input.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(written.keySet()).containsExactlyInAnyOrder("a.xml", "b.xml", "c.xml", "d-gray.xml", "e-alpha.xml", PrelabelStage.MARKER);
        for (String name : List.of("a.xml", "b.xml", "c.xml", "d-gray.xml", "e-alpha.xml")) {
            assertThat(written.get(name)).as(name).contains("<verified>no</verified>")
                    .isEqualTo(Files.readString(localAnnotations.resolve(name)));
        }
    }

    @Test
    void theCutImageIsReportedWithItsReasonAndGetsNoFile() {
        assertThat(inS3.skipped()).containsOnlyKeys("g-cut.jpg");
        assertThat(inS3.skipped().get("g-cut.jpg")).isNotBlank().isEqualTo(onDisk.skipped().get("g-cut.jpg"));
        assertThat(inS3.text()).contains("g-cut.jpg");
    }
}

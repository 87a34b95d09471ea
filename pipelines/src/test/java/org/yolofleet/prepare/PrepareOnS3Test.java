package org.yolofleet.prepare;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.dataset.SampleDatasetGenerator;
import org.yolofleet.dataset.SampleManifest;
import org.yolofleet.dataset.SampleOptions;
import org.yolofleet.stage.DatasetManifest;
import org.yolofleet.testing.LocalSpark;
import org.yolofleet.testing.S3ProxyHadoop;
import org.yolofleet.testing.S3ProxyServer;

import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The prepare stage reading from and writing to a real S3-protocol server on loopback through s3a://. */
class PrepareOnS3Test {
    @TempDir
    static java.nio.file.Path directory;
    private static S3ProxyServer server;
    private static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        server = S3ProxyServer.start(directory, List.of("datasets", "prepared"));
        spark = LocalSpark.session();
        S3ProxyHadoop.apply(server, spark.sparkContext().hadoopConfiguration());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** File by file: S3A 3.3.4's directory copyFromLocalFile can deadlock on its bounded upload pool. */
    static void upload(java.nio.file.Path local, FileSystem s3, String target) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(local)) {
            for (java.nio.file.Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = local.relativize(file).toString().replace('\\', '/');
                org.yolofleet.spark.HadoopFiles.write(s3, new Path(target + "/" + relative), Files.readAllBytes(file));
            }
        }
    }

    @Test
    void preparesFromS3IntoS3() throws Exception {
        java.nio.file.Path sample = directory.resolve("sample");
        SampleManifest manifest = new SampleDatasetGenerator(SampleOptions.defaults(51, 30).withInjectedFaults(true)).generate(sample);
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        FileSystem s3 = FileSystem.get(URI.create("s3a://datasets/"), hadoop);
        upload(sample, s3, "s3a://datasets/site-a");
        String output = "s3a://prepared/nightly";

        PrepareSummary summary = PrepareStageTest.prepare(manifest,
                List.of(), output, "prepare.inputs=[\"s3a://datasets/site-a\"]", "prepare.quarantine.max-rejected-fraction=0.9");

        List<String> kept = spark.read().parquet(output + "/images").select("image_id")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList().stream().sorted().toList();
        assertThat(kept).containsExactlyElementsOf(manifest.keptImageIds());
        Map<String, Integer> expected = new TreeMap<>();
        manifest.expectedQuarantineCounts().forEach((reason, count) -> expected.put(reason.name(), count));
        assertThat(PrepareStageTest.quarantineCounts(output)).isEqualTo(expected);
        assertThat(summary.manifest().sources().get(0).uri()).isEqualTo("s3a://datasets/site-a");

        // the objects really are in the server's storage, the marker committed last, no staging left behind
        FileSystem prepared = FileSystem.get(URI.create(output), hadoop);
        assertThat(prepared.exists(new Path(output, "dataset.json"))).isTrue();
        // no object left under a staging prefix (S3Proxy's filesystem backend may still list the emptied folder itself)
        org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = prepared.listFiles(new Path(output), true);
        List<String> objects = new java.util.ArrayList<>();
        while (files.hasNext()) {
            objects.add(files.next().getPath().toString());
        }
        assertThat(objects).isNotEmpty().noneMatch(object -> object.contains("/_staging-"));
        assertThat(Files.exists(server.storage().resolve("prepared/nightly/dataset.json"))).isTrue();
        DatasetManifest read = DatasetManifest.read(prepared, output);
        assertThat(read.version()).isEqualTo(summary.manifest().version());
    }
}

package org.yolofleet.augment;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.SparkSessions;
import org.yolofleet.testing.S3ProxyHadoop;
import org.yolofleet.testing.S3ProxyServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The augment job reading from and writing to a real S3-protocol server on loopback, through s3a://. */
class AugmentStageS3Test {
    private static final String BUCKET = "yolofleet-augment";

    @TempDir
    static java.nio.file.Path directory;
    static S3ProxyServer server;
    static SparkSession spark;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        server = S3ProxyServer.start(directory, List.of(BUCKET));
        spark = SparkSessions.getOrCreate(ConfigLoader.load(Optional.empty(), List.of("spark.master=\"local[2]\"")));
        S3ProxyHadoop.apply(server, spark.sparkContext().hadoopConfiguration());
        // S3Proxy answers S3A's marker clean-up (a bulk delete after every write) only after a 30 s stall; keeping
        // the markers, as Hadoop recommends for current S3A, avoids it and changes nothing else the test looks at
        spark.sparkContext().hadoopConfiguration().set("fs.s3a.directory.marker.retention", "keep");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    /** File by file (checksum files left out): S3A 3.3.4's directory copy can deadlock on its bounded upload pool. */
    private static void upload(java.nio.file.Path local, FileSystem s3, String target) throws IOException {
        try (Stream<java.nio.file.Path> files = Files.walk(local)) {
            for (java.nio.file.Path file : files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().endsWith(".crc"))
                    .toList()) {
                HadoopFiles.write(s3, new Path(target + "/" + local.relativize(file)), Files.readAllBytes(file));
            }
        }
    }

    @Test
    void augmentsADatasetInS3IntoShardsInS3() throws IOException {
        List<PreparedRecord> records = AugmentFixtures.records(6, 2);
        java.nio.file.Path local = directory.resolve("prepared");
        AugmentFixtures.writeDataset(spark, records, local);
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String input = "s3a://" + BUCKET + "/datasets/prepared";
        String output = "s3a://" + BUCKET + "/datasets/shards";
        FileSystem s3 = HadoopFiles.fileSystem(input, hadoop);
        upload(local, s3, input);

        AugmentSummary summary = new AugmentStage(spark, AugmentConfig.from(ConfigLoader.load(Optional.empty(), List.of(
                "model.input-width=96",
                "model.input-height=96",
                "model.resize-mode=resize",
                "augment.input=\"" + input + "\"",
                "augment.output=\"" + output + "\"",
                "augment.copies=2",
                "augment.images-per-shard=5",
                "augment.preview.samples=4"))), Clock.systemUTC()).run();

        ShardManifest committed = ShardManifest.read(s3, output);
        assertThat(committed.shards()).isEqualTo(summary.manifest().shards());
        assertThat(committed.input().resizeMode()).isEqualTo("resize");
        assertThat(committed.splits().get("train").samples()).isEqualTo(12);
        assertThat(committed.splits().get("val").samples()).isEqualTo(2);
        assertThat(committed.quarantineByReason()).isEqualTo(Map.of("IMAGE_UNDECODABLE", 1L));
        List<ShardContents.Sample> samples = ShardContents.read(s3, output, committed);
        assertThat(samples).hasSize(14);
        assertThat(new String(HadoopFiles.readIfExists(s3, new Path(output, AugmentStage.QUARANTINE_FILE)).orElseThrow(),
                StandardCharsets.UTF_8)).contains(AugmentFixtures.BROKEN_ID);
        assertThat(HadoopFiles.exists(s3, new Path(output, AugmentStage.PREVIEW_FILE))).isTrue();
        assertThat(Arrays.stream(s3.listStatus(new Path(output))).map(status -> status.getPath().getName()))
                .contains("shards", "shards.json", "quarantine.json", "preview.png", "summary.txt");
        // no staged object is left behind (S3Proxy's filesystem backend may still list the emptied staging prefix,
        // an empty directory on its disk, which S3A then finds holds nothing)
        for (FileStatus status : s3.listStatus(new Path(output))) {
            if (status.getPath().getName().startsWith("_staging")) {
                assertThat(s3.exists(status.getPath())).as(status.getPath().toString()).isFalse();
            }
        }
    }
}

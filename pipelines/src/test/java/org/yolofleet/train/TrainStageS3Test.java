package org.yolofleet.train;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.testing.LocalSpark;
import org.yolofleet.testing.S3ProxyHadoop;
import org.yolofleet.testing.S3ProxyServer;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** One short training run with the shards and the checkpoints on a real S3-protocol server on loopback (s3a://). */
class TrainStageS3Test {
    private static final String BUCKET = "yolofleet-train";

    @TempDir
    static java.nio.file.Path directory;
    static S3ProxyServer server;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        server = S3ProxyServer.start(directory, List.of(BUCKET));
        S3ProxyHadoop.apply(server, LocalSpark.session().sparkContext().hadoopConfiguration());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void trainsFromShardsInS3IntoCheckpointsInS3() throws IOException {
        SparkSession spark = LocalSpark.session();
        java.nio.file.Path local = directory.resolve("shards");
        TrainFixtures.writeShards(local, 16, 4, 8);
        String input = "s3a://" + BUCKET + "/shards";
        String output = "s3a://" + BUCKET + "/runs/first";
        FileSystem s3 = HadoopFiles.fileSystem(input, spark.sparkContext().hadoopConfiguration());
        try (Stream<java.nio.file.Path> files = Files.walk(local)) {
            for (java.nio.file.Path file : files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().endsWith(".crc")).toList()) {
                HadoopFiles.write(s3, new Path(input + "/" + local.relativize(file)), Files.readAllBytes(file));
            }
        }

        TrainConfig config = TrainConfig.from(TrainFixtures.config(input, "", Map.of("runs-root", "s3a://" + BUCKET + "/runs", "run-id", "first",
                "epochs", 1, "master.workers", 2, "master.averaging-frequency", 1)));
        TrainSummary summary = new TrainStage(spark, config, Clock.systemUTC()).run();

        assertThat(summary.epochs()).hasSize(1);
        assertThat(HadoopFiles.exists(s3, new Path(output + "/checkpoints/epoch-001/model.zip"))).isTrue();
        assertThat(HadoopFiles.exists(s3, new Path(output + "/best.json"))).isTrue();
        assertThat(new CheckpointStore(output, spark.sparkContext().hadoopConfiguration()).latestEpoch()).contains(1);
        // latest.json replaced by a rename, which S3A does as copy and delete
        assertThat(CompletedRun.read(s3, new Path("s3a://" + BUCKET + "/runs/latest.json")).map(CompletedRun::run)).contains(output);
        assertThat(CompletedRun.read(s3, new Path(output + "/run.json")).map(CompletedRun::bestCheckpoint))
                .contains(output + "/checkpoints/epoch-001/model.zip");
        assertThat(HadoopFiles.exists(s3, new Path("s3a://" + BUCKET + "/runs/.latest.json.partial"))).isFalse();
    }
}

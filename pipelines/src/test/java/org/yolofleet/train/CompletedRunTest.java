package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompletedRunTest {
    private static final CompletedRun RUN = new CompletedRun("20261201T020000Z", "s3a://bucket/runs/20261201T020000Z",
            "s3a://bucket/runs/20261201T020000Z/checkpoints/epoch-042/model.zip", 42, 0.6916, 60, List.of("car", "person"),
            "2026-12-01T05:12:00Z", "s3a://bucket/shards/20261201T010000Z");

    @Test
    void theRecordSaysWhichRunAndWhichCheckpointAndReadsBack() {
        String json = new String(RUN.toJson(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"runId\" : \"20261201T020000Z\"", "\"bestCheckpoint\" : \"s3a://bucket/runs/20261201T020000Z/checkpoints/epoch-042/model.zip\"",
                "\"bestMapArea\" : 0.6916", "\"finishedAt\" : \"2026-12-01T05:12:00Z\"",
                "\"input\" : \"s3a://bucket/shards/20261201T010000Z\"");
        assertThat(CompletedRun.fromJson(RUN.toJson(), "latest.json")).isEqualTo(RUN);

        CompletedRun unmeasured = new CompletedRun("a", "file:/a", "file:/a/checkpoints/epoch-001/model.zip", 1, Double.NaN, 1, List.of("car"), "now", "file:/shards");
        assertThat(CompletedRun.fromJson(unmeasured.toJson(), "latest.json").bestMapArea()).isNaN();
    }

    @Test
    void aRecordWrittenBeforeRunsNamedTheirInputReadsWithAnEmptyInput() {
        String older = "{\"runId\":\"a\",\"run\":\"file:/a\",\"bestCheckpoint\":\"file:/a/checkpoints/epoch-001/model.zip\",\"bestEpoch\":1,"
                + "\"bestMapArea\":0.5,\"epochs\":1,\"classes\":[\"car\"],\"finishedAt\":\"now\"}";
        assertThat(CompletedRun.fromJson(older.getBytes(StandardCharsets.UTF_8), "latest.json").input()).isEmpty();
        assertThat(CompletedRun.fromJson(older.getBytes(StandardCharsets.UTF_8), "latest.json").startedFrom()).isEmpty();
    }

    @Test
    void theRecordSaysWhatTheRunStartedFrom() {
        CompletedRun warm = new CompletedRun("b", "file:/b", "file:/b/checkpoints/epoch-002/model.zip", 2, 0.5, 3, List.of("car"), "now",
                "file:/shards", "release tiny-yolo a (channel nightly, sequence 1, key k) of run a: its best checkpoint file:/a/model.zip");
        assertThat(new String(warm.toJson(), StandardCharsets.UTF_8)).contains("\"startedFrom\" : \"release tiny-yolo a (channel nightly");
        assertThat(CompletedRun.fromJson(warm.toJson(), "run.json")).isEqualTo(warm);
    }

    @Test
    void writingReplacesTheRecordAtomicallyAndLeavesNoTemporaryObject(@TempDir Path root) throws IOException {
        FileSystem fileSystem = FileSystem.getLocal(new Configuration());
        org.apache.hadoop.fs.Path latest = new org.apache.hadoop.fs.Path(root.resolve("latest.json").toUri());
        assertThat(CompletedRun.read(fileSystem, latest)).isEmpty();

        RUN.write(fileSystem, latest);
        CompletedRun tomorrow = new CompletedRun("20261202T020000Z", "s3a://bucket/runs/20261202T020000Z",
                "s3a://bucket/runs/20261202T020000Z/checkpoints/epoch-007/model.zip", 7, 0.7, 60, List.of("car", "person"), "2026-12-02T05:00:00Z",
                "s3a://bucket/shards/20261202T010000Z");
        tomorrow.write(fileSystem, latest);
        assertThat(CompletedRun.read(fileSystem, latest)).contains(tomorrow);
        try (var files = Files.list(root)) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> !name.endsWith(".crc")))
                    .containsExactly("latest.json");
        }
    }

    @Test
    void anUnreadableRecordNamesItsFile() {
        assertThatThrownBy(() -> CompletedRun.fromJson("{ \"runId\" : ".getBytes(StandardCharsets.UTF_8), "s3a://bucket/runs/latest.json"))
                .isInstanceOf(YoloFleetException.class)
                .satisfies(failure -> assertThat(((YoloFleetException) failure).code()).isEqualTo(ErrorCode.IO))
                .hasMessageContaining("s3a://bucket/runs/latest.json");
    }
}

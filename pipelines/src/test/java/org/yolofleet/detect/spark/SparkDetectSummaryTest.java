package org.yolofleet.detect.spark;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SparkDetectSummaryTest {
    @Test
    void textSaysImagesRateDetectionsSourcesOutputAndFailuresWithReasons() {
        Map<String, Long> classes = new LinkedHashMap<>();
        classes.put("WBC", 3L);
        classes.put("RBC", 40L);
        SparkDetectSummary summary = new SparkDetectSummary("ONNX_RUNTIME model.onnx (onnxruntime)", 200, 12,
                IntStream.range(0, 12).mapToObj(index -> "s3a://p/s/" + index + ".jpg: truncated").toList(), classes,
                Map.of("s3a://p/s", 200L), 4_000_000_000L, "s3a://out");

        String text = summary.text();

        assertThat(summary.imagesPerSecond()).isEqualTo(50.0);
        assertThat(summary.detectedImages()).isEqualTo(188);
        assertThat(text).startsWith("detect: 200 images in 4.0 s, 50.0 images/s\n")
                .contains("detections: 43 (WBC 3, RBC 40)\n")
                .contains("sources: 1 (s3a://p/s 200)\n")
                .contains("output: s3a://out (parquet/ and jsonl/, partitioned by source; _detect.json)\n")
                .contains("failed: 12 images\n  s3a://p/s/0.jpg: truncated\n")
                .contains("  ... and 2 more").doesNotContain("s3a://p/s/10.jpg");
    }

    @Test
    void inconsistentCountsAreRefused() {
        assertThatThrownBy(() -> new SparkDetectSummary("m", 2, 3, List.of(), Map.of(), Map.of(), 1, "out"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 failed");
    }

    @Test
    void progressLineIsTheOneJvmDetectsLineAndTasksCoverTheImages() {
        assertThat(ProgressLines.line(400, 1000, 20_000_000_000L)).isEqualTo("detect: 400/1000 images (40%), 20.0 images/s, ETA 30 s");
        assertThat(SparkDetectRun.tasks(1000, 2)).isEqualTo(16);
        assertThat(SparkDetectRun.tasks(10, 8)).isEqualTo(8);
        assertThat(SparkDetectRun.tasks(3, 8)).isEqualTo(3);
    }
}

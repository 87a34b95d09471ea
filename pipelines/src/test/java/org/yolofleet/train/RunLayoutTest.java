package org.yolofleet.train;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RunLayoutTest {
    private static final Instant STARTED = Instant.parse("2026-12-01T02:03:04.567Z");

    @Test
    void aRunUnderTheRunsRootIsNamedByItsStartTimeInUtc() {
        TrainConfig config = TrainConfig.from(TrainFixtures.config("file:/in", "", Map.of("runs-root", "s3a://bucket/runs/")));
        RunLayout layout = RunLayout.of(config, STARTED);
        assertThat(layout.runId()).isEqualTo("20261201T020304Z");
        assertThat(layout.run()).isEqualTo("s3a://bucket/runs/20261201T020304Z");
        assertThat(layout.runRecord().toString()).isEqualTo("s3a://bucket/runs/20261201T020304Z/run.json");
        assertThat(layout.latest().map(Object::toString)).contains("s3a://bucket/runs/latest.json");
        // two nights, two runs
        assertThat(RunLayout.of(config, STARTED.plusSeconds(86_400)).run()).isEqualTo("s3a://bucket/runs/20261202T020304Z");
    }

    @Test
    void aRunIdNamesTheRunUnderTheRunsRoot() {
        TrainConfig config = TrainConfig.from(TrainFixtures.config("file:/in", "", Map.of("runs-root", "file:/data/runs", "run-id", "night_1.b")));
        RunLayout layout = RunLayout.of(config, STARTED);
        assertThat(layout).isEqualTo(new RunLayout("night_1.b", "file:/data/runs/night_1.b", Optional.of("file:/data/runs")));
    }

    @Test
    void anExplicitOutputIsTheRunDirectoryAndTheRunsRootStillReceivesLatest() {
        TrainConfig alone = TrainConfig.from(TrainFixtures.config("file:/in", "file:/data/train", Map.of()));
        assertThat(RunLayout.of(alone, STARTED)).isEqualTo(new RunLayout("train", "file:/data/train", Optional.empty()));
        assertThat(RunLayout.of(alone, STARTED).latest()).isEmpty();

        TrainConfig withRoot = TrainConfig.from(TrainFixtures.config("file:/in", "file:/data/train", Map.of("runs-root", "file:/data/runs")));
        assertThat(RunLayout.of(withRoot, STARTED).run()).isEqualTo("file:/data/train");
        assertThat(RunLayout.of(withRoot, STARTED).latest().map(Object::toString)).contains("file:/data/runs/latest.json");
    }

    @Test
    void aRunIdIsOnePlainPathSegment() {
        assertThat(RunLayout.isValidRunId("20261201T020304Z")).isTrue();
        assertThat(RunLayout.isValidRunId("night-1_retry.2")).isTrue();
        for (String invalid : new String[] {"", ".", "..", ".hidden", "-dash", "a/b", "s3a:x", "a b", "a%20", "nächte"}) {
            assertThat(RunLayout.isValidRunId(invalid)).as(invalid).isFalse();
        }
    }
}

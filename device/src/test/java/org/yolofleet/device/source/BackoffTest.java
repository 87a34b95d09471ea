package org.yolofleet.device.source;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @Test
    void theCeilingDoublesUpToTheMaximumAndEachWaitIsARandomShareOfIt() throws IOException {
        List<Duration> waits = new ArrayList<>();
        Backoff backoff = new Backoff(8, Duration.ofSeconds(1), Duration.ofSeconds(10), new Random(7), waits::add);

        assertThat(List.of(backoff.ceiling(1), backoff.ceiling(2), backoff.ceiling(3), backoff.ceiling(4), backoff.ceiling(5)))
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(10));
        for (int retry = 1; retry <= 7; retry++) {
            backoff.pause(retry);
        }
        for (int retry = 1; retry <= 7; retry++) {
            assertThat(waits.get(retry - 1)).isBetween(Duration.ZERO, backoff.ceiling(retry));
        }
        // full jitter: not every wait is the ceiling
        assertThat(waits).anyMatch(wait -> wait.compareTo(Duration.ofSeconds(1)) < 0);
    }

    @Test
    void retriesServerErrorsThrottlingAndNetworkFailuresButNotMissingObjectsOrRefusals() {
        assertThat(Backoff.retryable(new SourceException("503 SlowDown", 503, true))).isTrue();
        assertThat(Backoff.retryable(new SourceException("500", 500, SourceException.retryableStatus(500)))).isTrue();
        assertThat(Backoff.retryable(new SourceException("429", 429, SourceException.retryableStatus(429)))).isTrue();
        assertThat(Backoff.retryable(new IOException("connection reset"))).isTrue();
        assertThat(Backoff.retryable(new SocketTimeoutException("read timed out"))).isTrue();
        assertThat(Backoff.retryable(new SourceException("403", 403, SourceException.retryableStatus(403)))).isFalse();
        assertThat(Backoff.retryable(new NoSuchFileException("releases/x"))).isFalse();
    }
}

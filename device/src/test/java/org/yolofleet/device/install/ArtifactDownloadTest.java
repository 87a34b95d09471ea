package org.yolofleet.device.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.device.DeviceFixture;
import org.yolofleet.device.source.ConditionalResponse;
import org.yolofleet.device.source.CountingReleaseSource;
import org.yolofleet.device.source.ReleaseSource;
import org.yolofleet.device.source.SourceException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactDownloadTest {
    private static final byte[] OBJECT = DeviceFixture.randomBytes(100_000, 3);

    @TempDir
    Path directory;

    @Test
    void aConnectionDroppedMidBodyResumesFromTheByteReached() throws IOException {
        DroppingSource dropping = new DroppingSource(30_000);
        CountingReleaseSource counting = new CountingReleaseSource(dropping);
        Path target = directory.resolve("model.onnx");

        long fetched = new ArtifactDownload(counting, DeviceFixture.fastBackoff(3), line -> { }).fetch("o", target, OBJECT.length);

        assertThat(Files.readAllBytes(target)).isEqualTo(OBJECT);
        assertThat(fetched).isEqualTo(OBJECT.length);
        // every byte crossed the wire once: no request started again from zero
        assertThat(counting.bytes()).isEqualTo(OBJECT.length);
        assertThat(dropping.offsets).containsExactly(0L, 30_000L, 60_000L, 90_000L);
    }

    @Test
    void givesUpAfterTheAttemptsWithoutProgressAndKeepsTheBytesReached() throws IOException {
        DroppingSource dropping = new DroppingSource(30_000);
        dropping.failFrom = 60_000;
        Path target = directory.resolve("model.onnx");

        assertThatThrownBy(() -> new ArtifactDownload(dropping, DeviceFixture.fastBackoff(3), line -> { }).fetch("o", target, OBJECT.length))
                .isInstanceOf(SourceException.class);

        assertThat(Files.size(target)).isEqualTo(60_000);
        assertThat(Files.readAllBytes(target)).isEqualTo(Arrays.copyOf(OBJECT, 60_000));

        // the next run continues from byte 60,000
        dropping.failFrom = Long.MAX_VALUE;
        long fetched = new ArtifactDownload(dropping, DeviceFixture.fastBackoff(3), line -> { }).fetch("o", target, OBJECT.length);
        assertThat(fetched).isEqualTo(OBJECT.length - 60_000);
        assertThat(Files.readAllBytes(target)).isEqualTo(OBJECT);
    }

    @Test
    void aRequestRefusedBeforeItsBodyIsNotRetriedAgainByTheDownload() {
        DroppingSource refusing = new DroppingSource(30_000);
        refusing.failFrom = 0;
        CountingReleaseSource counting = new CountingReleaseSource(refusing);

        // the source (RetryingReleaseSource in the agent) retried the request already: another round would square the attempts
        assertThatThrownBy(() -> new ArtifactDownload(counting, DeviceFixture.fastBackoff(3), line -> { }).fetch("o", directory.resolve("m"), OBJECT.length))
                .isInstanceOf(SourceException.class);
        assertThat(counting.requests()).isEqualTo(1);
    }

    @Test
    void aFileLongerThanTheObjectStartsAgain() throws IOException {
        Path target = directory.resolve("model.onnx");
        Files.write(target, new byte[OBJECT.length + 5]);
        DroppingSource whole = new DroppingSource(Integer.MAX_VALUE);

        new ArtifactDownload(whole, DeviceFixture.fastBackoff(1), line -> { }).fetch("o", target, OBJECT.length);

        assertThat(Files.readAllBytes(target)).isEqualTo(OBJECT);
        assertThat(whole.offsets).containsExactly(0L);
    }

    /** Serves {@link #OBJECT}, dropping each connection after {@code perConnection} bytes; 503 from {@code failFrom} on. */
    private static final class DroppingSource implements ReleaseSource {
        final List<Long> offsets = new ArrayList<>();
        final int perConnection;
        long failFrom = Long.MAX_VALUE;

        DroppingSource(int perConnection) {
            this.perConnection = perConnection;
        }

        @Override
        public ConditionalResponse getIfChanged(String path, Optional<String> ifNoneMatch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream open(String path, long offset) throws IOException {
            if (offset >= failFrom) {
                throw new SourceException("503 SlowDown", 503, true);
            }
            offsets.add(offset);
            int end = (int) Math.min(OBJECT.length, offset + perConnection);
            return new InputStream() {
                private long position = offset;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buffer, int start, int length) throws IOException {
                    if (position >= end) {
                        if (end < OBJECT.length) {
                            throw new IOException("connection reset");
                        }
                        return -1;
                    }
                    int count = (int) Math.min(length, end - position);
                    System.arraycopy(OBJECT, (int) position, buffer, start, count);
                    position += count;
                    return count;
                }
            };
        }

        @Override
        public long size(String path) {
            return OBJECT.length;
        }

        @Override
        public String describe(String path) {
            return "test:" + path;
        }
    }
}

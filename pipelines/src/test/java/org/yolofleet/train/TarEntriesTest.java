package org.yolofleet.train;

import org.junit.jupiter.api.Test;
import org.yolofleet.augment.TarShardWriter;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.ErrorType;
import org.yolofleet.core.error.YoloFleetException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class TarEntriesTest {
    private static final int BLOCK = 512;

    @Test
    void entriesComeBackWithTheirOffsets() throws IOException {
        byte[] tar = tar();

        assertThat(TarEntries.read(new ByteArrayInputStream(tar), 0, "shard-00000.tar"))
                .extracting(TarEntries.Entry::name, TarEntries.Entry::headerOffset)
                .containsExactly(tuple("a.json", 0L), tuple("b.json", 2L * BLOCK));
    }

    @Test
    void aShardCutInsideAHeaderIsBadDataNotAnIoFailure() throws IOException {
        // an IOException here used to reach the user as [IO], exit 5: 'retry', which cannot help
        byte[] cut = Arrays.copyOf(tar(), 2 * BLOCK + 100);

        assertThatThrownBy(() -> TarEntries.read(new ByteArrayInputStream(cut), 0, "shard-00000.tar"))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> {
                    assertThat(failure.code()).isEqualTo(ErrorCode.BAD_DATASET);
                    assertThat(failure.code().type()).isEqualTo(ErrorType.BAD_DATA);
                })
                .hasMessage("[BAD_DATASET] shard-00000.tar is truncated: a tar header ends early");
    }

    @Test
    void aShardCutInsideAnEntryIsBadData() throws IOException {
        byte[] cut = Arrays.copyOf(tar(), BLOCK + 3);

        assertThatThrownBy(() -> TarEntries.read(new ByteArrayInputStream(cut), 0, "shard-00000.tar"))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.BAD_DATASET))
                .hasMessage("[BAD_DATASET] shard-00000.tar is truncated: an entry ends early");
    }

    private static byte[] tar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarShardWriter writer = new TarShardWriter(bytes)) {
            writer.add("a.json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            writer.add("b.json", "{\"b\":2}".getBytes(StandardCharsets.UTF_8));
            writer.finish();
        }
        return bytes.toByteArray();
    }
}

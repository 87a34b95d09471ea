package org.yolofleet.core.release;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class Sha256Test {
    @Test
    void digestsStreamsUpToALimit() throws IOException {
        byte[] bytes = new byte[300_000];
        bytes[123_456] = 7;
        Sha256 whole = Sha256.of(new ByteArrayInputStream(bytes));
        assertThat(whole).isEqualTo(Sha256.of(bytes));
        assertThat(whole.size()).isEqualTo(300_000);
        assertThat(Sha256.of(new ByteArrayInputStream(bytes), 300_000)).isEqualTo(whole);
        Sha256 cut = Sha256.of(new ByteArrayInputStream(bytes), 1000);
        assertThat(cut.size()).isEqualTo(1001);
        assertThat(cut.hex()).isEqualTo(Sha256.of(Arrays.copyOf(bytes, 1001)).hex());
    }
}

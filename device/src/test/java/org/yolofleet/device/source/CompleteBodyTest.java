package org.yolofleet.device.source;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompleteBodyTest {
    private static final byte[] BYTES = new byte[1000];

    @Test
    void aBodyShorterThanDeclaredFailsAtItsEnd() throws IOException {
        try (InputStream body = CompleteBody.of(new ByteArrayInputStream(BYTES, 0, 600), 1000, "s3://b/k")) {
            assertThat(body.readNBytes(600)).hasSize(600);
            assertThatThrownBy(body::read).isInstanceOf(IOException.class).hasMessageContaining("s3://b/k").hasMessageContaining("600 of 1000");
        }
        assertThatThrownBy(() -> CompleteBody.check(new byte[600], 1000, "s3://b/k")).isInstanceOf(IOException.class);
    }

    @Test
    void aWholeBodyOrOneOfUnknownLengthEndsNormally() throws IOException {
        try (InputStream body = CompleteBody.of(new ByteArrayInputStream(BYTES), 1000, "s3://b/k")) {
            assertThat(body.readAllBytes()).hasSize(1000);
            assertThat(body.read()).isEqualTo(-1);
        }
        try (InputStream body = CompleteBody.of(new ByteArrayInputStream(BYTES, 0, 10), -1, "s3://b/k")) {
            assertThat(body.readAllBytes()).hasSize(10);
        }
        assertThat(CompleteBody.check(BYTES, 1000, "s3://b/k")).isSameAs(BYTES);
        assertThat(CompleteBody.check(BYTES, -1, "s3://b/k")).isSameAs(BYTES);
    }
}

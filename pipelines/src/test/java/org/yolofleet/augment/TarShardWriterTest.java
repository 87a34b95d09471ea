package org.yolofleet.augment;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TarShardWriterTest {
    private static final byte[] IMAGE = new byte[1000];

    static {
        for (int index = 0; index < IMAGE.length; index++) {
            IMAGE[index] = (byte) (index % 251);
        }
    }
    private static final byte[] LABEL = "{\"id\": \"site/a\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void anyTarReaderReadsTheFilesBack() throws IOException {
        byte[] archive = write();

        Map<String, byte[]> entries = TarReading.entries(archive);

        assertThat(entries.keySet()).containsExactly("00000000_site_a_c0.jpg", "00000000_site_a_c0.json", "empty.txt");
        assertThat(entries.get("00000000_site_a_c0.jpg")).isEqualTo(IMAGE);
        assertThat(entries.get("00000000_site_a_c0.json")).isEqualTo(LABEL);
        assertThat(entries.get("empty.txt")).isEmpty();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(archive))) {
            TarArchiveEntry entry = tar.getNextTarEntry();
            assertThat(entry.getModTime().getTime()).isZero();
            assertThat(entry.getLongUserId()).isZero();
            assertThat(entry.getLongGroupId()).isZero();
            assertThat(entry.getMode()).isEqualTo(0644);
            assertThat(entry.getUserName()).isEqualTo("yolofleet");
            assertThat(entry.isFile()).isTrue();
        }
    }

    @Test
    void headersAreUstarWithValidChecksumsAndTheArchiveFillsWholeRecords() throws IOException {
        byte[] archive = write();

        assertThat(archive.length % TarShardWriter.RECORD).isZero();
        assertThat(new String(archive, 257, 5, StandardCharsets.US_ASCII)).isEqualTo("ustar");
        long sum = 0;
        for (int index = 0; index < TarShardWriter.BLOCK; index++) {
            sum += index >= 148 && index < 156 ? ' ' : archive[index] & 0xff;
        }
        long recorded = Long.parseLong(new String(archive, 148, 6, StandardCharsets.US_ASCII), 8);
        assertThat(recorded).isEqualTo(sum);
        // the data of the first file starts right after its header block
        assertThat(archive[TarShardWriter.BLOCK + 999]).isEqualTo(IMAGE[999]);
        assertThat(archive[TarShardWriter.BLOCK + 1000]).isZero();
        assertThat(new String(archive, TarShardWriter.BLOCK + 1024, 23, StandardCharsets.US_ASCII)).isEqualTo("00000000_site_a_c0.json");
    }

    @Test
    void sizeAndChecksumDescribeTheBytesWritten() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarShardWriter.Written written;
        try (TarShardWriter tar = new TarShardWriter(bytes)) {
            tar.add("a.jpg", IMAGE);
            written = tar.finish();
        }

        assertThat(written.bytes()).isEqualTo(bytes.size());
        assertThat(written.entries()).isEqualTo(1);
        assertThat(written.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray())));
    }

    @Test
    void equalContentGivesEqualBytes() throws IOException {
        assertThat(write()).isEqualTo(write());
    }

    @Test
    void badNamesAndDuplicatesAreRefused() throws IOException {
        try (TarShardWriter tar = new TarShardWriter(new ByteArrayOutputStream())) {
            for (String name : List.of("", "/etc/passwd", "../up.jpg", "with space.jpg", "x".repeat(101), "ümlaut.jpg")) {
                assertThatThrownBy(() -> tar.add(name, IMAGE)).as(name).isInstanceOf(IllegalArgumentException.class);
            }
            tar.add("a.jpg", IMAGE);
            assertThatThrownBy(() -> tar.add("a.jpg", IMAGE)).hasMessageContaining("already");
        }
    }

    private static byte[] write() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarShardWriter tar = new TarShardWriter(bytes)) {
            tar.add("00000000_site_a_c0.jpg", IMAGE);
            tar.add("00000000_site_a_c0.json", LABEL);
            tar.add("empty.txt", new byte[0]);
        }
        return bytes.toByteArray();
    }
}

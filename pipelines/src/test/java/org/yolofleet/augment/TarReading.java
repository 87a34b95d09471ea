package org.yolofleet.augment;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads shards back with an independent tar implementation (Apache Commons Compress, on the test classpath via Hadoop). */
final class TarReading {
    private TarReading() {
    }

    /** File name to content, in archive order. */
    static Map<String, byte[]> entries(byte[] archive) throws IOException {
        return entries(new ByteArrayInputStream(archive));
    }

    static Map<String, byte[]> entries(InputStream archive) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextTarEntry()) != null) {
                if (entries.put(entry.getName(), tar.readAllBytes()) != null) {
                    throw new AssertionError("duplicate entry " + entry.getName());
                }
            }
        }
        return entries;
    }
}

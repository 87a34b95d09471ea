package org.yolofleet.train;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A small reader of the POSIX ustar archives the augment stage writes (plain files only): each entry's name, its
 * header's offset in the archive and its content. Reading stops at the end-of-archive block.
 */
public final class TarEntries {
    static final int BLOCK = 512;

    private TarEntries() {
    }

    /** One file: its name, where its header starts in the archive, and its bytes. */
    public record Entry(String name, long headerOffset, byte[] content) {
        public Entry {
            requireNonNull(name, "name");
            requireNonNull(content, "content");
        }

        /** The offset just after the entry's padded content: where the next header starts. */
        public long endOffset() {
            return headerOffset + BLOCK + (content.length + BLOCK - 1L) / BLOCK * BLOCK;
        }
    }

    /**
     * Reads every entry from a stream positioned at a header; {@code firstOffset} is that header's offset in the
     * archive (so the offsets returned are the archive's). {@code description} names the source in errors.
     */
    public static List<Entry> read(InputStream input, long firstOffset, String description) throws IOException {
        requireNonNull(input, "input");
        List<Entry> entries = new ArrayList<>();
        long offset = firstOffset;
        byte[] header = new byte[BLOCK];
        while (true) {
            if (!readBlock(input, header, description)) {
                return entries;
            }
            if (isZero(header)) {
                return entries;
            }
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = octal(header, 124, 12, description);
            byte type = header[156];
            if (size > Integer.MAX_VALUE - BLOCK) {
                throw new YoloFleetException(ErrorCode.BAD_DATASET, description + ": entry " + name + " of " + size + " bytes is too large");
            }
            byte[] content = new byte[(int) size];
            readFully(input, content, description);
            int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
            readFully(input, new byte[padding], description);
            if (type == '0' || type == 0) {
                entries.add(new Entry(name, offset, content));
            }
            offset += BLOCK + size + padding;
        }
    }

    private static boolean readBlock(InputStream input, byte[] block, String description) throws IOException {
        int read = 0;
        while (read < block.length) {
            int count = input.read(block, read, block.length - read);
            if (count < 0) {
                if (read == 0) {
                    return false;
                }
                // bad data, not a failed read: an IOException here would be reported as a retryable IO failure
                throw new YoloFleetException(ErrorCode.BAD_DATASET, description + " is truncated: a tar header ends early");
            }
            read += count;
        }
        return true;
    }

    private static void readFully(InputStream input, byte[] target, String description) throws IOException {
        int read = 0;
        while (read < target.length) {
            int count = input.read(target, read, target.length - read);
            if (count < 0) {
                throw new YoloFleetException(ErrorCode.BAD_DATASET, description + " is truncated: an entry ends early");
            }
            read += count;
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte value : block) {
            if (value != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }

    private static long octal(byte[] header, int offset, int length, String description) {
        String digits = text(header, offset, length).trim();
        try {
            return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
        } catch (NumberFormatException notOctal) {
            throw new YoloFleetException(ErrorCode.BAD_DATASET, description + ": not a tar archive (bad size field '" + digits + "')");
        }
    }
}

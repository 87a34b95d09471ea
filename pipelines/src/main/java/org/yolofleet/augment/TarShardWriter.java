package org.yolofleet.augment;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Writes a WebDataset shard: a POSIX ustar archive of plain files ({@code <key>.jpg}, {@code <key>.json}, ...) with
 * fixed metadata (mode 0644, uid/gid 0, owner {@code yolofleet}, mtime 0), so equal content gives equal bytes. Any
 * tar reader opens it; WebDataset groups consecutive files by the name before the first dot. Counts the bytes and
 * computes the SHA-256 of the archive as it goes.
 */
public final class TarShardWriter implements AutoCloseable {
    public static final int BLOCK = 512;
    /** tar's default blocking: 20 blocks; the archive is padded to a whole record. */
    public static final int RECORD = 20 * BLOCK;
    public static final int MAXIMUM_NAME_BYTES = 100;
    private static final String OWNER = "yolofleet";

    private final OutputStream output;
    private final MessageDigest digest;
    private final Set<String> names = new HashSet<>();
    private long bytes;
    private int entries;
    private boolean finished;

    public TarShardWriter(OutputStream output) {
        this.output = requireNonNull(output, "output");
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java platform has SHA-256", impossible);
        }
    }

    /** Size and SHA-256 (hex) of a finished archive, and how many files it holds. */
    public record Written(long bytes, String sha256, int entries) {
        public Written {
            requireNonNull(sha256, "sha256");
        }
    }

    /** Adds one file. Names are ASCII, at most 100 bytes, without '..' or a leading '/', and unique in the archive. */
    public void add(String name, byte[] content) throws IOException {
        requireNonNull(content, "content");
        if (finished) {
            throw new IllegalStateException("the archive is finished");
        }
        byte[] nameBytes = checkedName(name);
        if (!names.add(name)) {
            throw new IllegalArgumentException("the archive already holds " + name);
        }
        write(header(nameBytes, content.length));
        write(content);
        int padding = (int) ((BLOCK - content.length % BLOCK) % BLOCK);
        write(new byte[padding]);
        entries++;
    }

    /** Writes the end-of-archive blocks and pads to a whole record; returns size and checksum. Leaves the stream open. */
    public Written finish() throws IOException {
        if (!finished) {
            write(new byte[2 * BLOCK]);
            int padding = (int) ((RECORD - bytes % RECORD) % RECORD);
            write(new byte[padding]);
            output.flush();
            finished = true;
        }
        return new Written(bytes, HexFormat.of().formatHex(digest.digest()), entries);
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            output.close();
        }
    }

    private void write(byte[] data) throws IOException {
        output.write(data);
        digest.update(data);
        bytes += data.length;
    }

    private static byte[] checkedName(String name) {
        requireNonNull(name, "name");
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        boolean ascii = name.chars().allMatch(character -> character > 0x20 && character < 0x7f);
        if (name.isEmpty() || !ascii || bytes.length > MAXIMUM_NAME_BYTES || name.startsWith("/") || name.contains("..")
                || name.endsWith("/")) {
            throw new IllegalArgumentException("not a valid shard file name (printable ASCII, no spaces, 1-100 bytes, relative): '"
                    + name + "'");
        }
        return bytes;
    }

    static byte[] header(byte[] name, long size) {
        byte[] header = new byte[BLOCK];
        System.arraycopy(name, 0, header, 0, name.length);
        octal(header, 100, 8, 0644);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, 0);
        header[156] = '0';
        ascii(header, 257, "ustar\0");
        ascii(header, 263, "00");
        ascii(header, 265, OWNER);
        ascii(header, 297, OWNER);
        octal(header, 329, 8, 0);
        octal(header, 337, 8, 0);
        // the checksum is computed with its own field read as eight spaces
        for (int index = 148; index < 156; index++) {
            header[index] = ' ';
        }
        long checksum = 0;
        for (byte value : header) {
            checksum += value & 0xff;
        }
        String digits = String.format("%06o", checksum);
        ascii(header, 148, digits);
        header[154] = 0;
        header[155] = ' ';
        return header;
    }

    /** A zero-padded octal number filling {@code length - 1} digits and a NUL terminator. */
    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            throw new IllegalArgumentException("value " + value + " does not fit a tar header field of " + length + " bytes");
        }
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        ascii(header, offset, padded);
        header[offset + length - 1] = 0;
    }

    private static void ascii(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}

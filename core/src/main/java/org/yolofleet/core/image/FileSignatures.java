package org.yolofleet.core.image;

/** Magic-number checks on the first bytes of a file. */
public final class FileSignatures {
    private FileSignatures() {
    }

    /** Whether {@code bytes} begin with {@code prefix} (each an unsigned byte value). */
    public static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int index = 0; index < prefix.length; index++) {
            if ((bytes[index] & 0xFF) != prefix[index]) {
                return false;
            }
        }
        return true;
    }
}

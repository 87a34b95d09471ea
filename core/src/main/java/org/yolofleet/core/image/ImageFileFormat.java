package org.yolofleet.core.image;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Image file formats, recognised by their first bytes (never by the file name). */
public enum ImageFileFormat {
    JPEG("jpeg", true, "jpg", "jpeg", "jpe", "jfif"),
    PNG("png", true, "png"),
    GIF("gif", true, "gif"),
    BMP("bmp", true, "bmp", "dib"),
    TIFF("tiff", true, "tif", "tiff"),
    WEBP("webp", false, "webp"),
    UNKNOWN("unknown", false);

    private final String readerName;
    private final boolean decodable;
    private final List<String> extensions;

    ImageFileFormat(String readerName, boolean decodable, String... extensions) {
        this.readerName = readerName;
        this.decodable = decodable;
        this.extensions = List.of(extensions);
    }

    /** The format the content has, from its signature. */
    public static ImageFileFormat detect(byte[] bytes) {
        if (FileSignatures.startsWith(bytes, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (FileSignatures.startsWith(bytes, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (FileSignatures.startsWith(bytes, 'G', 'I', 'F', '8', '7', 'a') || FileSignatures.startsWith(bytes, 'G', 'I', 'F', '8', '9', 'a')) {
            return GIF;
        }
        if (FileSignatures.startsWith(bytes, 'B', 'M') && bytes.length >= 26) {
            return BMP;
        }
        if (FileSignatures.startsWith(bytes, 'I', 'I', 42, 0) || FileSignatures.startsWith(bytes, 'M', 'M', 0, 42)) {
            return TIFF;
        }
        if (FileSignatures.startsWith(bytes, 'R', 'I', 'F', 'F') && bytes.length >= 12 && bytes[8] == 'W' && bytes[9] == 'E' && bytes[10] == 'B'
                && bytes[11] == 'P') {
            return WEBP;
        }
        return UNKNOWN;
    }

    /** The format a file name's extension promises, or {@link #UNKNOWN}. */
    public static ImageFileFormat byExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            return UNKNOWN;
        }
        String extension = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(format -> format.extensions.contains(extension)).findFirst().orElse(UNKNOWN);
    }

    /** Lower-case extensions, the usual one first. */
    public List<String> extensions() {
        return extensions;
    }

    /** Whether the prepare stage's normaliser can decode it. */
    public boolean decodable() {
        return decodable;
    }

    /** The javax.imageio format name of its reader. */
    String readerName() {
        return readerName;
    }
}

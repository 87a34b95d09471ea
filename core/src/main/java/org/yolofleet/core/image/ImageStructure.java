package org.yolofleet.core.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Walks the container structure of JPEG and PNG files (markers, chunks) without decoding: whether the file reaches
 * its end marker, and the JPEG facts the JDK decoder gets wrong or hides (component count, Adobe colour transform).
 */
final class ImageStructure {
    /** No Adobe APP14 segment. */
    static final int NO_ADOBE_SEGMENT = -1;
    /** Adobe transform 2: the file stores YCCK, to be converted to CMYK. */
    static final int ADOBE_YCCK = 2;

    private static final int MARKER = 0xFF;
    private static final int START_OF_IMAGE = 0xD8;
    private static final int END_OF_IMAGE = 0xD9;
    private static final int START_OF_SCAN = 0xDA;
    private static final int ADOBE = 0xEE;
    private static final int ICC_PROFILE_SEGMENT = 0xE2;
    private static final byte[] ICC_PROFILE_TAG = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
    private static final long PNG_SIGNATURE_LENGTH = 8;
    private static final int PNG_IEND = ('I' << 24) | ('E' << 16) | ('N' << 8) | 'D';

    /**
     * @param components     the number of colour components of the frame; 0 when no frame header was found
     * @param adobeTransform the Adobe APP14 transform (0 = none/CMYK, 1 = YCbCr, 2 = YCCK) or {@link #NO_ADOBE_SEGMENT}
     * @param complete       whether the end-of-image marker follows the scan data
     */
    record JpegLayout(int components, int adobeTransform, boolean complete) {
        boolean adobe() {
            return adobeTransform != NO_ADOBE_SEGMENT;
        }
    }

    private ImageStructure() {
    }

    static boolean isTruncated(ImageFileFormat format, byte[] bytes) {
        return switch (format) {
            case JPEG -> !jpeg(bytes).complete();
            case PNG -> !pngComplete(bytes);
            case GIF, BMP, TIFF, WEBP, UNKNOWN -> false;
        };
    }

    /**
     * The JPEG without its embedded ICC profile ({@code APP2 ICC_PROFILE} segments before the first scan): the JDK decoder
     * converts a profiled JPEG's colours to sRGB, and yolofleet's one policy is to take channel values as they are stored
     * (as Darknet and OpenCV do, and as a camera frame on the device arrives). The same bytes come back when there is none.
     */
    static byte[] withoutIccProfiles(byte[] jpeg) {
        int length = jpeg.length;
        if (length < 4 || (jpeg[0] & 0xFF) != MARKER || (jpeg[1] & 0xFF) != START_OF_IMAGE) {
            return jpeg;
        }
        ByteArrayOutputStream kept = null;
        int copiedUpTo = 0;
        int position = 2;
        while (position + 4 <= length && (jpeg[position] & 0xFF) == MARKER) {
            int marker = jpeg[position + 1] & 0xFF;
            if (marker == START_OF_SCAN || marker == END_OF_IMAGE || marker == MARKER) {
                break;
            }
            int segmentEnd = position + 2 + (((jpeg[position + 2] & 0xFF) << 8) | (jpeg[position + 3] & 0xFF));
            if (segmentEnd > length) {
                break;
            }
            if (marker == ICC_PROFILE_SEGMENT && startsWith(jpeg, position + 4, ICC_PROFILE_TAG)) {
                if (kept == null) {
                    kept = new ByteArrayOutputStream(length);
                }
                kept.write(jpeg, copiedUpTo, position - copiedUpTo);
                copiedUpTo = segmentEnd;
            }
            position = segmentEnd;
        }
        if (kept == null) {
            return jpeg;
        }
        kept.write(jpeg, copiedUpTo, length - copiedUpTo);
        return kept.toByteArray();
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        if (offset + prefix.length > bytes.length) {
            return false;
        }
        for (int index = 0; index < prefix.length; index++) {
            if (bytes[offset + index] != prefix[index]) {
                return false;
            }
        }
        return true;
    }

    static JpegLayout jpeg(byte[] bytes) {
        int length = bytes.length;
        int components = 0;
        int adobeTransform = NO_ADOBE_SEGMENT;
        if (length < 2 || (bytes[0] & 0xFF) != MARKER || (bytes[1] & 0xFF) != START_OF_IMAGE) {
            return new JpegLayout(components, adobeTransform, false);
        }
        int position = 2;
        while (position < length) {
            if ((bytes[position] & 0xFF) != MARKER) {
                position++; // stray bytes between segments: tolerated, as decoders do
                continue;
            }
            while (position < length && (bytes[position] & 0xFF) == MARKER) {
                position++; // fill bytes
            }
            if (position >= length) {
                break;
            }
            int marker = bytes[position++] & 0xFF;
            if (marker == END_OF_IMAGE) {
                return new JpegLayout(components, adobeTransform, true);
            }
            if (marker == 0x01 || marker == START_OF_IMAGE || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // markers without a length
            }
            if (position + 2 > length) {
                break;
            }
            int segmentLength = ((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF);
            int segmentStart = position + 2;
            int segmentEnd = position + segmentLength;
            if (segmentLength < 2 || segmentEnd > length) {
                break;
            }
            if (isStartOfFrame(marker) && segmentLength >= 8) {
                components = bytes[segmentStart + 5] & 0xFF;
            } else if (marker == ADOBE && segmentLength >= 14 && bytes[segmentStart] == 'A' && bytes[segmentStart + 1] == 'd'
                    && bytes[segmentStart + 2] == 'o' && bytes[segmentStart + 3] == 'b' && bytes[segmentStart + 4] == 'e') {
                adobeTransform = bytes[segmentStart + 11] & 0xFF;
            }
            position = segmentEnd;
            if (marker == START_OF_SCAN) {
                position = endOfEntropyCodedData(bytes, position);
            }
        }
        return new JpegLayout(components, adobeTransform, false);
    }

    /** The position of the marker that ends the entropy-coded data starting at {@code position}, or the file length. */
    private static int endOfEntropyCodedData(byte[] bytes, int position) {
        int last = bytes.length - 1;
        while (position < last) {
            if ((bytes[position] & 0xFF) == MARKER) {
                int next = bytes[position + 1] & 0xFF;
                if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                    position += 2; // a stuffed 0xFF, or a restart marker inside the scan
                    continue;
                }
                if (next != MARKER) {
                    return position;
                }
            }
            position++;
        }
        return bytes.length;
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** Whether the PNG's chunks all fit in the file and the last one is IEND. */
    static boolean pngComplete(byte[] bytes) {
        long position = PNG_SIGNATURE_LENGTH;
        while (position + 8 <= bytes.length) {
            int at = (int) position;
            long chunkLength = ((bytes[at] & 0xFFL) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8)
                    | (bytes[at + 3] & 0xFF);
            int type = ((bytes[at + 4] & 0xFF) << 24) | ((bytes[at + 5] & 0xFF) << 16) | ((bytes[at + 6] & 0xFF) << 8)
                    | (bytes[at + 7] & 0xFF);
            long end = position + 12 + chunkLength;
            if (end > bytes.length) {
                return false;
            }
            if (type == PNG_IEND) {
                return true;
            }
            position = end;
        }
        return false;
    }
}

package org.yolofleet.core.image;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Image files as the wild produces them, made from RGB pixels: EXIF-rotated, CMYK and YCCK (Adobe) JPEGs,
 * grayscale, 16-bit PNG, a decompression bomb. Used by the sample generator's faults and by the tests.
 */
public final class SampleImages {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private SampleImages() {
    }

    public static byte[] jpeg(BufferedImage image, int quality) {
        return JpegCodec.encode(image, quality);
    }

    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new YoloFleetException(ErrorCode.INTERNAL, "no PNG encoder for image type " + image.getType());
            }
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "PNG encoding failed: " + failure.getMessage(), failure);
        }
        return bytes.toByteArray();
    }

    /** The image as 8-bit grayscale (luma of the RGB pixels), JPEG-encoded. */
    public static byte[] grayscaleJpeg(BufferedImage image, int quality) {
        BufferedImage gray = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = gray.getRaster();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                raster.setSample(x, y, 0, (299 * (rgb >> 16 & 0xFF) + 587 * (rgb >> 8 & 0xFF) + 114 * (rgb & 0xFF) + 500) / 1000);
            }
        }
        return JpegCodec.encode(gray, quality);
    }

    /** The image as a 16-bit-per-channel RGB PNG (each 8-bit value v stored as v * 257). */
    public static byte[] png16Bit(BufferedImage image) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(image.getWidth(), image.getHeight());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                raster.setSample(x, y, 0, (rgb >> 16 & 0xFF) * 257);
                raster.setSample(x, y, 1, (rgb >> 8 & 0xFF) * 257);
                raster.setSample(x, y, 2, (rgb & 0xFF) * 257);
            }
        }
        return png(new BufferedImage(model, raster, false, null));
    }

    /**
     * The image as a four-channel JPEG with an Adobe APP14 segment, as Photoshop writes it: inverted CMYK
     * (255 = no ink), or — with {@code ycck} — that CMYK stored as YCCK (transform 2).
     */
    public static byte[] adobeCmykJpeg(BufferedImage image, boolean ycck, int quality) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, image.getWidth(), image.getHeight(), 4, null);
        int[] sample = new int[4];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int red = rgb >> 16 & 0xFF;
                int green = rgb >> 8 & 0xFF;
                int blue = rgb & 0xFF;
                int brightest = Math.max(red, Math.max(green, blue));
                // inverted CMYK: stored value = 255 - ink; with K = 1 - max/255 this is c' = 255 * r / max, k' = max
                int cyan = brightest == 0 ? 255 : Math.round(255f * red / brightest);
                int magenta = brightest == 0 ? 255 : Math.round(255f * green / brightest);
                int yellow = brightest == 0 ? 255 : Math.round(255f * blue / brightest);
                if (ycck) {
                    // libjpeg's CMYK -> YCCK: YCbCr of (255 - C, 255 - M, 255 - Y), K unchanged
                    double r = 255 - cyan;
                    double g = 255 - magenta;
                    double b = 255 - yellow;
                    sample[0] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
                    sample[1] = clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
                    sample[2] = clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
                } else {
                    sample[0] = cyan;
                    sample[1] = magenta;
                    sample[2] = yellow;
                }
                sample[3] = brightest;
                raster.setPixel(x, y, sample);
            }
        }
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) (ycck ? 2 : 0)};
        return insertSegment(JpegCodec.encodeRaster(raster, quality), adobe);
    }

    /** The JPEG with an EXIF APP1 segment holding only the orientation tag (big-endian TIFF). */
    public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer segment = ByteBuffer.allocate(36);
        segment.put((byte) 0xFF).put((byte) 0xE1).putShort((short) 34);
        segment.put("Exif".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) 0);
        segment.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8); // TIFF header, IFD0 at offset 8
        segment.putShort((short) 1); // one entry
        segment.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        segment.putInt(0); // no next IFD
        return insertSegment(jpeg, segment.array());
    }

    /** The JPEG with an ICC profile embedded (an APP2 {@code ICC_PROFILE} segment, one chunk), pixels unchanged. */
    public static byte[] withIccProfile(byte[] jpeg, ICC_Profile profile) {
        byte[] data = profile.getData();
        byte[] tag = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
        int length = 2 + tag.length + 2 + data.length;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("a profile of " + data.length + " bytes needs more than one APP2 chunk");
        }
        ByteBuffer segment = ByteBuffer.allocate(2 + length);
        segment.put((byte) 0xFF).put((byte) 0xE2).putShort((short) length).put(tag).put((byte) 1).put((byte) 1).put(data);
        return insertSegment(jpeg, segment.array());
    }

    /** A segment placed after SOI (and after a leading JFIF APP0, where camera and editor files put theirs). */
    public static byte[] insertSegment(byte[] jpeg, byte[] segment) {
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            at = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
        }
        byte[] result = new byte[jpeg.length + segment.length];
        System.arraycopy(jpeg, 0, result, 0, at);
        System.arraycopy(segment, 0, result, at, segment.length);
        System.arraycopy(jpeg, at, result, at + segment.length, jpeg.length - at);
        return result;
    }

    /**
     * A valid, tiny PNG whose header declares {@code width x height} RGB pixels — gigabytes once decoded — with
     * a few compressed bytes of image data: a decompression bomb.
     */
    public static byte[] pngBomb(int width, int height) {
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(new byte[64 * 1024]);
        deflater.finish();
        byte[] compressed = new byte[1024];
        int length = deflater.deflate(compressed);
        deflater.end();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(PNG_SIGNATURE);
        chunk(png, "IHDR", header.array());
        chunk(png, "IDAT", Arrays.copyOf(compressed, length));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(typeBytes);
        png.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static int clamp(double value) {
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }
}

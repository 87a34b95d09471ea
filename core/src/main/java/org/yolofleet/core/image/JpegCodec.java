package org.yolofleet.core.image;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Decodes images strictly (a decoder warning, such as a truncated JPEG, is a failure, not a grey half-image) and
 * encodes baseline JPEG at a chosen quality with the JDK encoder. Works in memory only: no ImageIO cache files; the
 * same pixels and quality always give the same bytes.
 */
public final class JpegCodec {
    private static final int[] RGB_MASKS = {0xFF0000, 0xFF00, 0xFF};

    private JpegCodec() {
    }

    /** Decodes any format ImageIO reads; fails with {@link ErrorCode#CORRUPT_IMAGE} saying why. */
    public static RgbImage decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new YoloFleetException(ErrorCode.CORRUPT_IMAGE, "the image is empty (0 bytes)");
        }
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new YoloFleetException(ErrorCode.CORRUPT_IMAGE, "not an image format Java can read (" + bytes.length + " bytes)");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(input, true, true);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new YoloFleetException(ErrorCode.CORRUPT_IMAGE, "the decoder reported: " + String.join("; ", warnings));
                }
                return RgbImage.of(image);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException failure) {
            if (failure instanceof YoloFleetException known) {
                throw known;
            }
            throw new YoloFleetException(ErrorCode.CORRUPT_IMAGE, "the image does not decode: " + failure, failure);
        }
    }

    /** Baseline JPEG of the image at {@code quality} (1-100). Same pixels and quality give the same bytes. */
    public static byte[] encode(RgbImage image, int quality) {
        return encode(image.toBufferedImage(), quality);
    }

    /** Pixels as 0xRRGGBB ints, row by row, viewed as an image without copying. */
    public static BufferedImage rgbImage(int[] pixels, ImageSize size) {
        WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(pixels, pixels.length), size.width(), size.height(),
                size.width(), RGB_MASKS, null);
        return new BufferedImage(new DirectColorModel(24, RGB_MASKS[0], RGB_MASKS[1], RGB_MASKS[2]), raster, false, null);
    }

    /** Encodes 0xRRGGBB pixels; they are laid out as the encoder's native 3-byte BGR first (much faster than int RGB). */
    public static byte[] encode(int[] pixels, ImageSize size, int quality) {
        BufferedImage image = new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bytes = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int index = 0, position = 0; index < pixels.length; index++, position += 3) {
            int pixel = pixels[index];
            bytes[position] = (byte) pixel;
            bytes[position + 1] = (byte) (pixel >> 8);
            bytes[position + 2] = (byte) (pixel >> 16);
        }
        return encode(image, quality);
    }

    /** Baseline JPEG of an image at {@code quality} (1-100). */
    public static byte[] encode(RenderedImage image, int quality) {
        return write(new IIOImage(image, null, null), quality);
    }

    /** Baseline JPEG of a raster's raw channels (e.g. four CMYK channels, for test pictures of that kind). */
    public static byte[] encodeRaster(Raster raster, int quality) {
        return write(new IIOImage(raster, null, null), quality);
    }

    private static byte[] write(IIOImage image, int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be in [1, 100], got " + quality);
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "this JDK has no JPEG encoder");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (MemoryCacheImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam parameters = writer.getDefaultWriteParam();
            parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            parameters.setCompressionQuality(quality / 100f);
            writer.setOutput(output);
            writer.write(null, image, parameters);
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "JPEG encoding failed: " + failure.getMessage(), failure);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}

package org.yolofleet.core.image;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * Encodes baseline JPEG at a chosen quality with the JDK encoder, in memory (no ImageIO cache files): the same pixels
 * and quality always give the same bytes. Decoding is {@link ImageDecoder}'s, the one way images become pixels.
 */
public final class JpegCodec {
    private static final int[] RGB_MASKS = {0xFF0000, 0xFF00, 0xFF};

    private JpegCodec() {
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

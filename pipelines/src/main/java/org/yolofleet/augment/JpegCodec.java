package org.yolofleet.augment;

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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Decodes images strictly (a decoder warning, such as a truncated JPEG, is a failure, not a grey half-image) and
 * encodes JPEG at a chosen quality. Works in memory only: no ImageIO cache files.
 */
public final class JpegCodec {
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
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be in [1, 100], got " + quality);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, image.width() * image.height() / 4));
        try (MemoryCacheImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(output);
            ImageWriteParam parameters = writer.getDefaultWriteParam();
            parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            parameters.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(image.toBufferedImage(), null, null), parameters);
        } catch (IOException exception) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot encode a JPEG in memory: " + exception.getMessage(), exception);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}

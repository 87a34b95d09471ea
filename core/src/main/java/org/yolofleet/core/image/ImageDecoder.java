package org.yolofleet.core.image;

import org.yolofleet.core.quarantine.Finding;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.quarantine.RecordRejectedException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The one way yolofleet turns an image file into pixels, in {@code prepare}, {@code augment}, training, validation,
 * {@code detect}, publish and on the device, so a model sees in the field exactly what it saw in training.
 *
 * <p>It reads the header first ({@link ImageInspector}: a file declaring more than {@code maxImagePixels} pixels is
 * refused undecoded) and decodes once, which proves the file whole: a JPEG must reach its end-of-image marker (the JDK
 * decoder pads a truncated JPEG with grey and only warns), a PNG its IEND chunk. The pixels become 8-bit RGB from
 * grayscale, palette, 16-bit, CMYK and YCCK (Adobe inverted CMYK included; the JDK cannot read those JPEGs as images,
 * so their raw channels are converted here), transparency is composited on white, and the EXIF orientation is applied,
 * so boxes are in pixels of the upright image a person sees.
 *
 * <p>ICC policy: channel values are taken as stored (as sRGB) and an embedded ICC profile is not applied, as Darknet and
 * OpenCV do and as a camera frame on the device arrives: a JPEG's profile segments are dropped before the JDK decoder
 * (which would convert the colours) sees them, and other formats' samples are read raw. The same file gives the same
 * pixels on every JDK and in every stage.
 */
public final class ImageDecoder {
    /**
     * The most pixels an {@link RgbImage} can hold (three bytes each in one Java array): the limit for images yolofleet
     * wrote itself (prepared images, training samples), which were checked against the configured limit when they came in.
     */
    public static final long LARGEST_RGB_IMAGE_PIXELS = Integer.MAX_VALUE / 3;

    /** A decoder for images yolofleet stored itself: prepared images and training samples. */
    public static final ImageDecoder STORED_IMAGES = new ImageDecoder(LARGEST_RGB_IMAGE_PIXELS);

    private static final int OPAQUE = 255;

    private final ImageInspector inspector;
    private final long maxImagePixels;

    /** @param maxImagePixels the largest image accepted, in pixels (larger ones are refused before decoding) */
    public ImageDecoder(long maxImagePixels) {
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException("maxImagePixels must be >= 1, got " + maxImagePixels);
        }
        this.inspector = new ImageInspector(maxImagePixels);
        this.maxImagePixels = maxImagePixels;
    }

    /**
     * Reads the header, then decodes.
     *
     * @throws RecordRejectedException with IMAGE_EMPTY, IMAGE_TRUNCATED, IMAGE_UNDECODABLE or IMAGE_TOO_LARGE
     */
    public DecodedImage decode(byte[] bytes) {
        requireNonNull(bytes, "bytes");
        return decode(bytes, inspector.inspect(bytes));
    }

    /**
     * Decodes a file whose header was already read.
     *
     * @param header its header, from {@link ImageInspector#inspect(byte[])}
     * @throws RecordRejectedException with IMAGE_TRUNCATED, IMAGE_UNDECODABLE or IMAGE_TOO_LARGE
     */
    public DecodedImage decode(byte[] bytes, ImageHeader header) {
        requireNonNull(bytes, "bytes");
        requireNonNull(header, "header");
        List<Finding> findings = new ArrayList<>();
        RgbPixels decoded = switch (header.format()) {
            case JPEG -> decodeJpeg(bytes, header, findings);
            case PNG, GIF, BMP, TIFF -> decodeOther(bytes, header, findings);
            case WEBP, UNKNOWN -> throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE,
                    header.format() + " images are not supported");
        };
        ExifOrientation orientation = header.orientation();
        int[] upright = orientation.uprightPixels(decoded.pixels(), decoded.size());
        return new DecodedImage(header, RgbImage.ofPacked(upright, orientation.uprightSize(decoded.size())), findings);
    }

    /**
     * An image already in memory (the Spark image source, a camera frame) by the same rules as a file: raw channel
     * values (no ICC conversion), 8-bit RGB, transparency on white. It has no EXIF orientation to apply.
     */
    public static RgbImage rgb(BufferedImage image) {
        requireNonNull(image, "image");
        RgbPixels pixels = toRgb(image.getRaster(), image.getColorModel(), new ArrayList<>());
        return RgbImage.ofPacked(pixels.pixels(), pixels.size());
    }

    /** Decoded pixels as 0xRRGGBB, row by row. */
    private record RgbPixels(int[] pixels, ImageSize size) {
    }

    private RgbPixels decodeJpeg(byte[] bytes, ImageHeader header, List<Finding> findings) {
        ImageStructure.JpegLayout layout = ImageStructure.jpeg(bytes);
        if (!layout.complete()) {
            throw new RecordRejectedException(QuarantineReason.IMAGE_TRUNCATED,
                    "the JPEG has no end-of-image marker after its image data (" + bytes.length + " bytes): the file was cut");
        }
        return switch (layout.components()) {
            case 1, 3 -> {
                BufferedImage image = read(ImageStructure.withoutIccProfiles(bytes), header, false).image();
                yield toRgb(image.getRaster(), image.getColorModel(), findings);
            }
            case 4 -> {
                Raster raster = read(bytes, header, true).raster();
                findings.add(new Finding(QuarantineReason.CONVERTED_CMYK, (layout.adobeTransform() == ImageStructure.ADOBE_YCCK
                        ? "YCCK" : "CMYK") + (layout.adobe() ? " (Adobe, inverted)" : "") + " JPEG converted to RGB"));
                yield cmykToRgb(raster, layout);
            }
            default -> throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE,
                    "a JPEG with " + layout.components() + " colour components");
        };
    }

    private RgbPixels decodeOther(byte[] bytes, ImageHeader header, List<Finding> findings) {
        if (header.format() == ImageFileFormat.PNG && !ImageStructure.pngComplete(bytes)) {
            throw new RecordRejectedException(QuarantineReason.IMAGE_TRUNCATED,
                    "the PNG ends before its IEND chunk (" + bytes.length + " bytes): the file was cut");
        }
        BufferedImage image = read(bytes, header, false).image();
        return toRgb(image.getRaster(), image.getColorModel(), findings);
    }

    private record Decoded(BufferedImage image, Raster raster) {
    }

    /** One decode with the JDK reader for the format; a raster (raw channels) when {@code raw}. */
    private Decoded read(byte[] bytes, ImageHeader header, boolean raw) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(header.format().readerName());
        if (!readers.hasNext()) {
            throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE, "no decoder for " + header.format());
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input, true, true);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            ImageSize declared = new ImageSize(reader.getWidth(0), reader.getHeight(0));
            ImageInspector.requireWithinLimit(declared, maxImagePixels);
            if (!declared.equals(header.size())) {
                throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE,
                        "the header says " + header.size() + " but the decoder reads " + declared);
            }
            Decoded decoded = raw ? new Decoded(null, reader.readRaster(0, null)) : new Decoded(reader.read(0), null);
            failOnDamage(warnings, header.format());
            return decoded;
        } catch (RecordRejectedException rejected) {
            throw rejected;
        } catch (IOException | RuntimeException corrupt) {
            // decoders fail on hostile input in many ways (IIOException, IndexOutOfBounds, IllegalArgument, ...)
            failOnDamage(warnings, header.format());
            throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE, header.format() + " decoding failed: "
                    + corrupt, corrupt);
        } finally {
            reader.dispose();
        }
    }

    /** Decoder warnings: a premature end is truncation, other data corruption makes the image unusable. */
    private static void failOnDamage(List<String> warnings, ImageFileFormat format) {
        for (String warning : warnings) {
            String lower = warning.toLowerCase(Locale.ROOT);
            if (lower.contains("premature end") || lower.contains("truncated") || lower.contains("missing eoi")) {
                throw new RecordRejectedException(QuarantineReason.IMAGE_TRUNCATED, format + " decoder: " + warning);
            }
        }
        for (String warning : warnings) {
            String lower = warning.toLowerCase(Locale.ROOT);
            if (lower.contains("corrupt") && !lower.contains("extraneous bytes")) {
                throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE, format + " decoder: " + warning);
            }
        }
    }

    /** Any decoded raster to 8-bit RGB on white. */
    private static RgbPixels toRgb(Raster raster, ColorModel colorModel, List<Finding> findings) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int[] pixels = new int[width * height];
        SampleModel sampleModel = raster.getSampleModel();
        int dataType = raster.getDataBuffer().getDataType();
        if (dataType == DataBuffer.TYPE_FLOAT || dataType == DataBuffer.TYPE_DOUBLE) {
            throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE, "floating-point pixels are not supported");
        }
        boolean composited = false;
        if (colorModel instanceof IndexColorModel palette) {
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, 0, row);
                for (int x = 0; x < width; x++) {
                    int argb = palette.getRGB(row[x]);
                    int alpha = argb >>> 24;
                    composited |= alpha != OPAQUE;
                    pixels[y * width + x] = onWhite(argb >> 16 & 0xFF, argb >> 8 & 0xFF, argb & 0xFF, alpha, false);
                }
            }
            findings.add(new Finding(QuarantineReason.CONVERTED_PALETTE, "a palette image (" + palette.getMapSize()
                    + " colours) converted to RGB"));
        } else {
            int colorBands = colorModel.getNumColorComponents();
            boolean alpha = colorModel.hasAlpha();
            int bands = raster.getNumBands();
            if (bands != colorBands + (alpha ? 1 : 0)) {
                throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE,
                        bands + " channels for " + colorBands + " colour components");
            }
            int bits = 0;
            for (int band = 0; band < bands; band++) {
                bits = Math.max(bits, sampleModel.getSampleSize(band));
            }
            if (bits > 16) {
                throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE, bits + "-bit channels are not supported");
            }
            boolean cmyk = colorBands == 4 && colorModel.getColorSpace().getType() == ColorSpace.TYPE_CMYK;
            if (colorBands != 1 && colorBands != 3 && !cmyk) {
                throw new RecordRejectedException(QuarantineReason.IMAGE_UNDECODABLE,
                        "images with " + colorBands + " colour components are not supported");
            }
            if (!alpha && bits == 8 && (colorBands == 1 || colorBands == 3) && fastInterleavedBytes(raster, colorBands, pixels)) {
                composited = false;
            } else {
                composited = genericSamples(raster, colorModel, sampleModel, colorBands, alpha, cmyk, pixels);
            }
            if (colorBands == 1) {
                findings.add(new Finding(QuarantineReason.CONVERTED_GRAYSCALE, bits + "-bit grayscale converted to RGB"));
            }
            if (cmyk) {
                findings.add(new Finding(QuarantineReason.CONVERTED_CMYK, "CMYK converted to RGB"));
            }
            if (bits > 8) {
                findings.add(new Finding(QuarantineReason.CONVERTED_16_BIT, bits + " bits per channel reduced to 8"));
            }
        }
        if (composited) {
            findings.add(new Finding(QuarantineReason.ALPHA_REMOVED, "transparent pixels composited on white"));
        }
        return new RgbPixels(pixels, new ImageSize(width, height));
    }

    /** The common case (8-bit gray or RGB in one byte array, as the JPEG decoder returns it), without per-sample calls. */
    private static boolean fastInterleavedBytes(Raster raster, int colorBands, int[] pixels) {
        if (!(raster.getSampleModel() instanceof ComponentSampleModel layout) || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
                || buffer.getNumBanks() != 1 || raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0) {
            return false;
        }
        int[] bankIndices = layout.getBankIndices();
        for (int bank : bankIndices) {
            if (bank != 0) {
                return false;
            }
        }
        byte[] data = buffer.getData();
        int[] offsets = layout.getBandOffsets();
        int pixelStride = layout.getPixelStride();
        int scanlineStride = layout.getScanlineStride();
        int base = buffer.getOffset();
        int width = raster.getWidth();
        int height = raster.getHeight();
        for (int y = 0; y < height; y++) {
            int position = base + y * scanlineStride;
            int target = y * width;
            for (int x = 0; x < width; x++, position += pixelStride) {
                if (colorBands == 1) {
                    int gray = data[position + offsets[0]] & 0xFF;
                    pixels[target + x] = gray << 16 | gray << 8 | gray;
                } else {
                    pixels[target + x] = (data[position + offsets[0]] & 0xFF) << 16 | (data[position + offsets[1]] & 0xFF) << 8
                            | (data[position + offsets[2]] & 0xFF);
                }
            }
        }
        return true;
    }

    /** Any integer sample layout: scaled to 8 bits, colour bands first and alpha last (the Java convention). */
    private static boolean genericSamples(Raster raster, ColorModel colorModel, SampleModel sampleModel, int colorBands,
                                          boolean alpha, boolean cmyk, int[] pixels) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int bands = raster.getNumBands();
        int[] maxima = new int[bands];
        for (int band = 0; band < bands; band++) {
            maxima[band] = (1 << sampleModel.getSampleSize(band)) - 1;
        }
        boolean premultiplied = colorModel.isAlphaPremultiplied();
        boolean composited = false;
        int[] row = new int[width * bands];
        int[] eight = new int[bands];
        for (int y = 0; y < height; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
            for (int x = 0; x < width; x++) {
                for (int band = 0; band < bands; band++) {
                    eight[band] = scaleTo8Bits(row[x * bands + band], maxima[band]);
                }
                int red;
                int green;
                int blue;
                if (colorBands == 1) {
                    red = eight[0];
                    green = eight[0];
                    blue = eight[0];
                } else if (cmyk) {
                    red = times(OPAQUE - eight[0], OPAQUE - eight[3]);
                    green = times(OPAQUE - eight[1], OPAQUE - eight[3]);
                    blue = times(OPAQUE - eight[2], OPAQUE - eight[3]);
                } else {
                    red = eight[0];
                    green = eight[1];
                    blue = eight[2];
                }
                int opacity = alpha ? eight[bands - 1] : OPAQUE;
                composited |= opacity != OPAQUE;
                pixels[y * width + x] = onWhite(red, green, blue, opacity, premultiplied);
            }
        }
        return composited;
    }

    /**
     * Four JPEG channels to RGB. YCCK is first turned into CMYK the way libjpeg does (C = 255 − R of the YCbCr
     * triple); Adobe files store CMYK inverted (255 = no ink), plain ones as ink amounts.
     */
    private static RgbPixels cmykToRgb(Raster raster, ImageStructure.JpegLayout layout) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int[] pixels = new int[width * height];
        int[] row = new int[width * 4];
        boolean ycck = layout.adobeTransform() == ImageStructure.ADOBE_YCCK;
        boolean inverted = layout.adobe();
        for (int y = 0; y < height; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
            for (int x = 0; x < width; x++) {
                int cyan = row[x * 4];
                int magenta = row[x * 4 + 1];
                int yellow = row[x * 4 + 2];
                int black = row[x * 4 + 3];
                if (ycck) {
                    double luma = cyan;
                    double blueDifference = magenta - 128.0;
                    double redDifference = yellow - 128.0;
                    cyan = OPAQUE - clamp(luma + 1.402 * redDifference);
                    magenta = OPAQUE - clamp(luma - 0.344136 * blueDifference - 0.714136 * redDifference);
                    yellow = OPAQUE - clamp(luma + 1.772 * blueDifference);
                }
                if (!inverted) {
                    cyan = OPAQUE - cyan;
                    magenta = OPAQUE - magenta;
                    yellow = OPAQUE - yellow;
                    black = OPAQUE - black;
                }
                pixels[y * width + x] = times(cyan, black) << 16 | times(magenta, black) << 8 | times(yellow, black);
            }
        }
        return new RgbPixels(pixels, new ImageSize(width, height));
    }

    private static int onWhite(int red, int green, int blue, int alpha, boolean premultiplied) {
        if (alpha == OPAQUE) {
            return red << 16 | green << 8 | blue;
        }
        int white = OPAQUE - alpha;
        if (premultiplied) {
            return Math.min(OPAQUE, red + white) << 16 | Math.min(OPAQUE, green + white) << 8 | Math.min(OPAQUE, blue + white);
        }
        return blend(red, alpha) << 16 | blend(green, alpha) << 8 | blend(blue, alpha);
    }

    private static int blend(int color, int alpha) {
        return (color * alpha + OPAQUE * (OPAQUE - alpha) + 127) / OPAQUE;
    }

    private static int times(int left, int right) {
        return (left * right + 127) / OPAQUE;
    }

    private static int scaleTo8Bits(int sample, int maximum) {
        return maximum == OPAQUE ? sample : (int) ((sample * 255L + maximum / 2) / maximum);
    }

    private static int clamp(double value) {
        return (int) Math.max(0, Math.min(OPAQUE, Math.round(value)));
    }
}

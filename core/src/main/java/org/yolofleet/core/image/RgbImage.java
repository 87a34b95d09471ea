package org.yolofleet.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

import static java.util.Objects.requireNonNull;

/** An 8-bit RGB image as one interleaved array ({@code r, g, b} per pixel, rows top to bottom). */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] pixels;

    public RgbImage(int width, int height, byte[] pixels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        requireNonNull(pixels, "pixels");
        if (pixels.length != 3L * width * height) {
            throw new IllegalArgumentException("expected " + 3L * width * height + " bytes for " + width + "x" + height
                    + " RGB, got " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The interleaved pixels themselves (not a copy). */
    public byte[] pixels() {
        return pixels;
    }

    /** One channel (0 red, 1 green, 2 blue) of one pixel, 0-255. */
    public int channel(int x, int y, int channel) {
        return pixels[3 * (y * width + x) + channel] & 0xff;
    }

    /** The pixel as 0xRRGGBB. */
    public int rgb(int x, int y) {
        int index = 3 * (y * width + x);
        return (pixels[index] & 0xff) << 16 | (pixels[index + 1] & 0xff) << 8 | pixels[index + 2] & 0xff;
    }

    /** Rounds and clamps float channels (0-255, interleaved RGB) into an image. */
    public static RgbImage fromChannels(int width, int height, float[] channels) {
        byte[] pixels = new byte[channels.length];
        for (int index = 0; index < channels.length; index++) {
            pixels[index] = (byte) Math.max(0, Math.min(255, Math.round(channels[index])));
        }
        return new RgbImage(width, height, pixels);
    }

    /** Pixels packed as {@code 0xRRGGBB} ints, row by row. */
    public static RgbImage ofPacked(int[] packed, ImageSize size) {
        requireNonNull(packed, "packed");
        requireNonNull(size, "size");
        if (packed.length != (long) size.width() * size.height()) {
            throw new IllegalArgumentException(packed.length + " pixels for a " + size + " image");
        }
        byte[] pixels = new byte[3 * packed.length];
        for (int pixel = 0, position = 0; pixel < packed.length; pixel++, position += 3) {
            int rgb = packed[pixel];
            pixels[position] = (byte) (rgb >> 16);
            pixels[position + 1] = (byte) (rgb >> 8);
            pixels[position + 2] = (byte) rgb;
        }
        return new RgbImage(size.width(), size.height(), pixels);
    }

    public static RgbImage of(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] pixels = new byte[3 * width * height];
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR && image.getRaster().getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getNumBanks() == 1 && image.getRaster().getParent() == null) {
            byte[] bgr = buffer.getData();
            for (int index = 0; index < pixels.length; index += 3) {
                pixels[index] = bgr[index + 2];
                pixels[index + 1] = bgr[index + 1];
                pixels[index + 2] = bgr[index];
            }
            return new RgbImage(width, height, pixels);
        }
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                int index = 3 * (y * width + x);
                pixels[index] = (byte) (row[x] >> 16);
                pixels[index + 1] = (byte) (row[x] >> 8);
                pixels[index + 2] = (byte) row[x];
            }
        }
        return new RgbImage(width, height, pixels);
    }

    /** A {@link BufferedImage#TYPE_3BYTE_BGR} copy, what the JPEG writer takes without converting. */
    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int index = 0; index < pixels.length; index += 3) {
            bgr[index] = pixels[index + 2];
            bgr[index + 1] = pixels[index + 1];
            bgr[index + 2] = pixels[index];
        }
        return image;
    }

    /** A {@link BufferedImage#TYPE_INT_RGB} copy, for drawing on. */
    public BufferedImage toIntRgbImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] target = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int pixel = 0; pixel < target.length; pixel++) {
            int index = 3 * pixel;
            target[pixel] = (pixels[index] & 0xff) << 16 | (pixels[index + 1] & 0xff) << 8 | pixels[index + 2] & 0xff;
        }
        return image;
    }
}

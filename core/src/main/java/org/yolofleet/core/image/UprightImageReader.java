package org.yolofleet.core.image;

import org.yolofleet.core.error.ErrorCode;

/**
 * Decodes an image file the way {@code prepare} sees it, so detections land on the picture a person sees: the header is
 * checked first (a file declaring more than {@code maxImagePixels} pixels is refused undecoded), the pixels are decoded
 * strictly (a truncated file is {@link ErrorCode#CORRUPT_IMAGE}, not a grey half-image) and turned upright by their EXIF
 * orientation. Boxes are then in pixels of the upright image.
 */
public final class UprightImageReader {
    private final ImageInspector inspector;

    /** @param maxImagePixels the largest image accepted, in pixels */
    public UprightImageReader(long maxImagePixels) {
        this.inspector = new ImageInspector(maxImagePixels);
    }

    public RgbImage read(byte[] bytes) {
        ImageHeader header = inspector.inspect(bytes);
        RgbImage stored = JpegCodec.decode(bytes);
        return upright(stored, header.orientation());
    }

    static RgbImage upright(RgbImage stored, ExifOrientation orientation) {
        if (orientation == ExifOrientation.NORMAL) {
            return stored;
        }
        ImageSize size = new ImageSize(stored.width(), stored.height());
        int[] packed = new int[stored.width() * stored.height()];
        for (int y = 0; y < stored.height(); y++) {
            for (int x = 0; x < stored.width(); x++) {
                packed[y * stored.width() + x] = stored.rgb(x, y);
            }
        }
        int[] turned = orientation.uprightPixels(packed, size);
        ImageSize uprightSize = orientation.uprightSize(size);
        byte[] pixels = new byte[3 * turned.length];
        for (int pixel = 0; pixel < turned.length; pixel++) {
            pixels[3 * pixel] = (byte) (turned[pixel] >> 16);
            pixels[3 * pixel + 1] = (byte) (turned[pixel] >> 8);
            pixels[3 * pixel + 2] = (byte) turned[pixel];
        }
        return new RgbImage(uprightSize.width(), uprightSize.height(), pixels);
    }
}

package org.yolofleet.core.image;

import org.yolofleet.core.model.ResizeFilter;
import org.yolofleet.core.detect.Letterbox;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.ResizeMode;

import java.awt.image.BufferedImage;

import static java.util.Objects.requireNonNull;

/**
 * Brings an image to a network's input, exactly as the training images were brought there, so a model sees at
 * inference what it saw in training.
 *
 * <ul>
 *   <li>{@link ResizeMode#LETTERBOX} (Darknet's): aspect ratio kept, the longer side fills the input, the image centred
 *       on Darknet's 0.5 grey with Darknet's truncated sizes and offsets ({@link Letterbox#letterbox});</li>
 *   <li>{@link ResizeMode#RESIZE}: stretched to the input size ({@link Letterbox#resize}).</li>
 * </ul>
 * Pixels are resampled by the augment stage's {@link Resampler} (its {@link Placement#ofImage} is "what inference does
 * to a photo"): bilinear when enlarging, a triangle filter as wide as the reduction when shrinking, so a large photo
 * does not alias on its way down to 416 pixels. Values are RGB divided by 255, in CHW order.
 */
public final class ImagePreprocessor {
    private static final int CHANNELS = 3;
    private static final float MAXIMUM_CHANNEL_VALUE = 255f;

    private final int width;
    private final int height;
    private final ResizeMode resizeMode;
    private final ResizeFilter resizeFilter;

    /** The preprocessing of a network yolofleet trained itself ({@link ResizeFilter#AREA}). */
    public ImagePreprocessor(int width, int height, ResizeMode resizeMode) {
        this(width, height, resizeMode, ResizeFilter.AREA);
    }

    /**
     * @param width the network input width in pixels
     * @param height the network input height in pixels
     * @param resizeFilter the filter the network was trained with
     */
    public ImagePreprocessor(int width, int height, ResizeMode resizeMode, ResizeFilter resizeFilter) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("network input width and height must be positive, got " + width + " x " + height);
        }
        this.width = width;
        this.height = height;
        this.resizeMode = requireNonNull(resizeMode, "resizeMode");
        this.resizeFilter = requireNonNull(resizeFilter, "resizeFilter");
    }

    /** The preprocessing of a spec's network: its input size and resize mode. */
    public static ImagePreprocessor forSpec(ModelSpec spec) {
        requireNonNull(spec, "spec");
        return new ImagePreprocessor(spec.width(), spec.height(), spec.resizeMode(), spec.resizeFilter());
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public ResizeMode resizeMode() {
        return resizeMode;
    }

    public ResizeFilter resizeFilter() {
        return resizeFilter;
    }

    /** Where an image of this size lands in the input. */
    public Letterbox geometry(int imageWidth, int imageHeight) {
        return switch (resizeMode) {
            case LETTERBOX -> Letterbox.letterbox(imageWidth, imageHeight, width, height);
            case RESIZE -> Letterbox.resize(imageWidth, imageHeight, width, height);
        };
    }

    public NetworkInput preprocess(BufferedImage image) {
        return preprocess(ImageDecoder.rgb(image));
    }

    public NetworkInput preprocess(RgbImage image) {
        requireNonNull(image, "image");
        Letterbox letterbox = geometry(image.width(), image.height());
        if (resizeFilter == ResizeFilter.DARKNET) {
            return new NetworkInput(DarknetResize.networkInput(image, letterbox), letterbox);
        }
        if (image.width() == width && image.height() == height) {
            float[] planes = new float[CHANNELS * width * height];
            writeChannels(image, planes, 0);
            return new NetworkInput(planes, letterbox);
        }
        Placement placement = Placement.ofImage(image.width(), image.height(), width, height, resizeMode);
        float[] interleaved = Resampler.resample(image, placement, Placement.BACKGROUND);
        int plane = width * height;
        float[] planes = new float[CHANNELS * plane];
        for (int pixel = 0; pixel < plane; pixel++) {
            int source = CHANNELS * pixel;
            planes[pixel] = interleaved[source] / MAXIMUM_CHANNEL_VALUE;
            planes[plane + pixel] = interleaved[source + 1] / MAXIMUM_CHANNEL_VALUE;
            planes[2 * plane + pixel] = interleaved[source + 2] / MAXIMUM_CHANNEL_VALUE;
        }
        return new NetworkInput(planes, letterbox);
    }

    /**
     * The one conversion of pixels to network values: RGB divided by 255, channel planes in CHW order, written at
     * {@code offset} of {@code destination} ({@code 3 x height x width} values). Training, validation and inference
     * all use it, so an image already at the network's size gives the same input everywhere.
     */
    public static void writeChannels(RgbImage image, float[] destination, int offset) {
        requireNonNull(image, "image");
        requireNonNull(destination, "destination");
        int plane = image.width() * image.height();
        if (offset < 0 || (long) offset + (long) CHANNELS * plane > destination.length) {
            throw new IndexOutOfBoundsException(CHANNELS * plane + " values at " + offset + " do not fit " + destination.length);
        }
        byte[] rgb = image.pixels();
        for (int pixel = 0; pixel < plane; pixel++) {
            destination[offset + pixel] = (rgb[CHANNELS * pixel] & 0xff) / MAXIMUM_CHANNEL_VALUE;
            destination[offset + plane + pixel] = (rgb[CHANNELS * pixel + 1] & 0xff) / MAXIMUM_CHANNEL_VALUE;
            destination[offset + 2 * plane + pixel] = (rgb[CHANNELS * pixel + 2] & 0xff) / MAXIMUM_CHANNEL_VALUE;
        }
    }
}

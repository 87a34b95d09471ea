package org.yolofleet.core.detect;

import static java.util.Objects.requireNonNull;

/**
 * Where an image lands in the network input: resized to {@code resizedWidth x resizedHeight} pixels and placed with
 * its top-left corner at {@code (offsetX, offsetY)} of the {@code networkWidth x networkHeight} input; the rest of
 * the input is filled with {@link #BORDER_VALUE}.
 *
 * <p>{@link #letterbox} is Darknet's {@code letterbox_image}: aspect-preserving, the longer side fills the input and
 * the image is centred, with Darknet's integer sizes and offsets ({@code new_h = im.h * w / im.w},
 * offset {@code (h - new_h) / 2}, both truncated). {@link #resize} is a plain stretch to the input size.
 *
 * <p>Boxes map between normalised network space (what {@link RegionDecoder} computes, {@code [0, 1]} of the input)
 * and pixels of the original image with the same geometry that placed the image, so the two directions are exact
 * inverses. (Darknet's own {@code correct_region_boxes} undoes the letterbox with the untruncated offset
 * {@code (h - new_h) / 2.0}, up to half a network pixel away from where the image was actually drawn.)
 *
 * @param imageWidth width of the original image, in pixels
 * @param imageHeight height of the original image, in pixels
 * @param networkWidth width of the network input, in pixels
 * @param networkHeight height of the network input, in pixels
 * @param resizedWidth width of the resized image inside the input
 * @param resizedHeight height of the resized image inside the input
 * @param offsetX left border, in network pixels
 * @param offsetY top border, in network pixels
 */
public record Letterbox(
        int imageWidth,
        int imageHeight,
        int networkWidth,
        int networkHeight,
        int resizedWidth,
        int resizedHeight,
        int offsetX,
        int offsetY) {
    /** Darknet's grey fill of the letterbox border, for RGB in {@code [0, 1]}. */
    public static final float BORDER_VALUE = 0.5f;

    public Letterbox {
        requirePositive("image width", imageWidth);
        requirePositive("image height", imageHeight);
        requirePositive("network width", networkWidth);
        requirePositive("network height", networkHeight);
        requirePositive("resized width", resizedWidth);
        requirePositive("resized height", resizedHeight);
        if (offsetX < 0 || offsetX + resizedWidth > networkWidth) {
            throw new IllegalArgumentException("resized width " + resizedWidth + " at offset " + offsetX + " does not fit the network width " + networkWidth);
        }
        if (offsetY < 0 || offsetY + resizedHeight > networkHeight) {
            throw new IllegalArgumentException("resized height " + resizedHeight + " at offset " + offsetY + " does not fit the network height " + networkHeight);
        }
    }

    /** Darknet's letterbox of an {@code imageWidth x imageHeight} image into a {@code networkWidth x networkHeight} input. */
    public static Letterbox letterbox(int imageWidth, int imageHeight, int networkWidth, int networkHeight) {
        requirePositive("image width", imageWidth);
        requirePositive("image height", imageHeight);
        requirePositive("network width", networkWidth);
        requirePositive("network height", networkHeight);
        int resizedWidth;
        int resizedHeight;
        // networkWidth / imageWidth < networkHeight / imageHeight, compared exactly
        if ((long) networkWidth * imageHeight < (long) networkHeight * imageWidth) {
            resizedWidth = networkWidth;
            resizedHeight = Math.max(1, (int) ((long) imageHeight * networkWidth / imageWidth));
        }
        else {
            resizedHeight = networkHeight;
            resizedWidth = Math.max(1, (int) ((long) imageWidth * networkHeight / imageHeight));
        }
        return new Letterbox(
                imageWidth, imageHeight, networkWidth, networkHeight,
                resizedWidth, resizedHeight, (networkWidth - resizedWidth) / 2, (networkHeight - resizedHeight) / 2);
    }

    /** A plain resize (stretch) of the image to the network input: no border, possibly different x and y scales. */
    public static Letterbox resize(int imageWidth, int imageHeight, int networkWidth, int networkHeight) {
        return new Letterbox(imageWidth, imageHeight, networkWidth, networkHeight, networkWidth, networkHeight, 0, 0);
    }

    /** Network pixels per image pixel along x. */
    public double scaleX() {
        return (double) resizedWidth / imageWidth;
    }

    /** Network pixels per image pixel along y. */
    public double scaleY() {
        return (double) resizedHeight / imageHeight;
    }

    /** A normalised network x ({@code 0} left edge of the input, {@code 1} right edge) in original image pixels. */
    public double imageX(double networkX) {
        return (networkX * networkWidth - offsetX) * imageWidth / resizedWidth;
    }

    /** A normalised network y ({@code 0} top edge of the input, {@code 1} bottom edge) in original image pixels. */
    public double imageY(double networkY) {
        return (networkY * networkHeight - offsetY) * imageHeight / resizedHeight;
    }

    /** An original image x, in pixels, as a normalised network x. */
    public double networkX(double imageX) {
        return (imageX * resizedWidth / imageWidth + offsetX) / networkWidth;
    }

    /** An original image y, in pixels, as a normalised network y. */
    public double networkY(double imageY) {
        return (imageY * resizedHeight / imageHeight + offsetY) / networkHeight;
    }

    /** Undoes the letterbox: a box normalised to the network input, in pixels of the original image (not clipped). */
    public BoundingBox toImage(BoundingBox networkBox) {
        requireNonNull(networkBox, "networkBox");
        return new BoundingBox(
                imageX(networkBox.xmin()), imageY(networkBox.ymin()), imageX(networkBox.xmax()), imageY(networkBox.ymax()));
    }

    /** Applies the letterbox: a box in pixels of the original image, normalised to the network input. */
    public BoundingBox toNetwork(BoundingBox imageBox) {
        requireNonNull(imageBox, "imageBox");
        return new BoundingBox(
                networkX(imageBox.xmin()), networkY(imageBox.ymin()), networkX(imageBox.xmax()), networkY(imageBox.ymax()));
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}

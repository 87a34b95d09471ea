package org.yolofleet.train;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

/**
 * How validation cuts the val split into forward passes, in {@code long} arithmetic: the split as a whole no longer
 * fits one Java array (4,952 VOC07 test images at 3 x 416 x 416 are 2.57e9 floats, past {@link Integer#MAX_VALUE} from
 * about 4,137 images), so only one batch of floats is ever held, and its size is checked here.
 *
 * @param images         samples in the val split
 * @param floatsPerImage channels x height x width of one network input
 * @param batchSize      images per forward pass ({@code train.validation.batch-size})
 */
public record ValidationBatches(long images, long floatsPerImage, int batchSize) {
    public ValidationBatches {
        if (images < 0) {
            throw new IllegalArgumentException("images must not be negative, got " + images);
        }
        if (floatsPerImage < 1 || batchSize < 1) {
            throw new IllegalArgumentException("floats per image and batch size must be positive, got " + floatsPerImage + " and " + batchSize);
        }
    }

    public static ValidationBatches of(long images, int channels, int height, int width, int batchSize) {
        return new ValidationBatches(images, (long) channels * height * width, batchSize);
    }

    /** Forward passes: every one full but the last. */
    public long batches() {
        return (images + batchSize - 1) / batchSize;
    }

    /** Images in forward pass {@code batch} (from 0). */
    public int imagesIn(long batch) {
        if (batch < 0 || batch >= batches()) {
            throw new IndexOutOfBoundsException("batch " + batch + " of " + batches());
        }
        return (int) Math.min(batchSize, images - batch * batchSize);
    }

    /** The floats of the whole split: what validation held at once before it was streamed. */
    public long wholeSplitFloats() {
        return images * floatsPerImage;
    }

    /** The length of the one batch array validation allocates. */
    public int floatsPerBatch() {
        long floats = floatsPerImage * batchSize;
        if (floats > Integer.MAX_VALUE) {
            throw new YoloFleetException(ErrorCode.CONFIG, "yolofleet.train.validation.batch-size = " + batchSize + " needs " + floats
                    + " floats per batch at this input size, more than one Java array holds: lower it");
        }
        return (int) floats;
    }

    /** The bytes of that array: the memory validation holds for pixels, whatever the size of the split. */
    public long bytesPerBatch() {
        return (long) floatsPerBatch() * Float.BYTES;
    }
}

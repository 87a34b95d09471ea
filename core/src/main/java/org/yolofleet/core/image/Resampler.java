package org.yolofleet.core.image;

import java.util.Arrays;

/**
 * Resamples a source window onto the network canvas with a separable triangle filter whose radius grows with the
 * reduction (one source pixel when enlarging: bilinear; {@code 1/scale} source pixels when reducing: every source
 * pixel under an output pixel contributes, as an area average does). No nearest-neighbour sampling, so fine
 * detail does not alias when a large photo is reduced to 416 pixels. Outside the source image is the background
 * value (Darknet's 0.5 grey): an output pixel takes it in proportion to the part of its footprint that lies outside
 * the image, so the photo's own edge pixels keep their colour and a crop beyond the photo shows a clean grey edge.
 * The canvas outside the placed content is background too.
 */
public final class Resampler {
    private Resampler() {
    }

    /** The canvas as interleaved float RGB (0-255), {@code canvasWidth * canvasHeight * 3} values. */
    public static float[] resample(RgbImage source, Placement placement, float background) {
        int canvasWidth = placement.canvasWidth();
        int canvasHeight = placement.canvasHeight();
        int contentWidth = placement.contentWidth();
        int contentHeight = placement.contentHeight();
        float[] canvas = new float[canvasWidth * canvasHeight * 3];
        Arrays.fill(canvas, background);

        Taps columns = Taps.of(contentWidth, placement.sourceLeft(), placement.scaleX(), source.width());
        Taps rows = Taps.of(contentHeight, placement.sourceTop(), placement.scaleY(), source.height());
        int firstRow = rows.firstInside();
        int lastRow = rows.lastInside();
        int rowCount = Math.max(0, lastRow - firstRow + 1);

        // horizontal pass over the source rows the vertical filter will read
        float[] filtered = new float[rowCount * contentWidth * 3];
        byte[] pixels = source.pixels();
        int sourceWidth = source.width();
        for (int row = 0; row < rowCount; row++) {
            int sourceRowStart = (firstRow + row) * sourceWidth * 3;
            int targetRowStart = row * contentWidth * 3;
            for (int column = 0; column < contentWidth; column++) {
                float backgroundShare = columns.backgroundWeight[column] * background;
                float red = backgroundShare;
                float green = backgroundShare;
                float blue = backgroundShare;
                int tapStart = columns.tapStart[column];
                int tapOffset = column * columns.maximumTaps;
                for (int tap = 0; tap < columns.tapCount[column]; tap++) {
                    float weight = columns.weights[tapOffset + tap];
                    int index = sourceRowStart + (tapStart + tap) * 3;
                    red += weight * (pixels[index] & 0xff);
                    green += weight * (pixels[index + 1] & 0xff);
                    blue += weight * (pixels[index + 2] & 0xff);
                }
                int target = targetRowStart + column * 3;
                filtered[target] = red;
                filtered[target + 1] = green;
                filtered[target + 2] = blue;
            }
        }

        // vertical pass into the canvas
        for (int row = 0; row < contentHeight; row++) {
            int canvasRowStart = ((placement.offsetY() + row) * canvasWidth + placement.offsetX()) * 3;
            float backgroundShare = rows.backgroundWeight[row] * background;
            int tapStart = rows.tapStart[row];
            int tapOffset = row * rows.maximumTaps;
            for (int value = 0; value < contentWidth * 3; value++) {
                float sum = backgroundShare;
                for (int tap = 0; tap < rows.tapCount[row]; tap++) {
                    sum += rows.weights[tapOffset + tap] * filtered[(tapStart + tap - firstRow) * contentWidth * 3 + value];
                }
                canvas[canvasRowStart + value] = sum;
            }
        }
        return canvas;
    }

    /**
     * The filter taps of one axis: for each output position, the run of source pixels inside the image that
     * contribute and their normalised weights, and the share that falls outside the image (background).
     */
    static final class Taps {
        final int maximumTaps;
        final int[] tapStart;
        final int[] tapCount;
        final float[] weights;
        final float[] backgroundWeight;

        private Taps(int maximumTaps, int[] tapStart, int[] tapCount, float[] weights, float[] backgroundWeight) {
            this.maximumTaps = maximumTaps;
            this.tapStart = tapStart;
            this.tapCount = tapCount;
            this.weights = weights;
            this.backgroundWeight = backgroundWeight;
        }

        /**
         * @param outputs     output pixels along the axis (the placed content)
         * @param sourceStart source coordinate of the content's leading edge
         * @param scale       output pixels per source pixel
         * @param sourceSize  source pixels along the axis
         */
        static Taps of(int outputs, double sourceStart, double scale, int sourceSize) {
            double radius = Math.max(1, 1 / scale);
            int maximumTaps = (int) Math.ceil(2 * radius) + 2;
            int[] tapStart = new int[outputs];
            int[] tapCount = new int[outputs];
            float[] weights = new float[outputs * maximumTaps];
            float[] backgroundWeight = new float[outputs];
            double[] raw = new double[maximumTaps];
            double halfFootprint = 0.5 / scale;
            for (int output = 0; output < outputs; output++) {
                double center = sourceStart + (output + 0.5) / scale;
                int first = (int) Math.ceil(center - 0.5 - radius);
                int last = (int) Math.floor(center - 0.5 + radius);
                int insideFirst = Math.max(first, 0);
                int insideLast = Math.min(last, sourceSize - 1);
                double inside = 0;
                for (int index = insideFirst; index <= insideLast; index++) {
                    double weight = Math.max(0, 1 - Math.abs(index + 0.5 - center) / radius);
                    raw[index - insideFirst] = weight;
                    inside += weight;
                }
                // the background's share is the part of the output pixel's own footprint that lies outside the image
                double footprintStart = center - halfFootprint;
                double footprintEnd = center + halfFootprint;
                double outside = (Math.max(0, Math.min(footprintEnd, 0) - footprintStart)
                        + Math.max(0, footprintEnd - Math.max(footprintStart, sourceSize))) / (footprintEnd - footprintStart);
                if (!(inside > 0)) {
                    outside = 1;
                }
                outside = Math.min(1, outside);
                int count = inside > 0 ? Math.max(0, insideLast - insideFirst + 1) : 0;
                tapStart[output] = insideFirst;
                tapCount[output] = count;
                for (int tap = 0; tap < count; tap++) {
                    weights[output * maximumTaps + tap] = (float) (raw[tap] / inside * (1 - outside));
                }
                backgroundWeight[output] = (float) outside;
            }
            return new Taps(maximumTaps, tapStart, tapCount, weights, backgroundWeight);
        }

        int firstInside() {
            int first = Integer.MAX_VALUE;
            for (int output = 0; output < tapStart.length; output++) {
                if (tapCount[output] > 0) {
                    first = Math.min(first, tapStart[output]);
                }
            }
            return first;
        }

        int lastInside() {
            int last = -1;
            for (int output = 0; output < tapStart.length; output++) {
                if (tapCount[output] > 0) {
                    last = Math.max(last, tapStart[output] + tapCount[output] - 1);
                }
            }
            return last;
        }
    }
}

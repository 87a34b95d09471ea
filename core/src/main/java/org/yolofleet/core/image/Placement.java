package org.yolofleet.core.image;

import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Letterbox;
import org.yolofleet.core.model.ResizeMode;

import static java.util.Objects.requireNonNull;

/**
 * Where a source window lands on the network canvas: {@code x' = offsetX + (x - sourceLeft) * scaleX} (and the same
 * for y). The pixels ({@link Resampler}) and the boxes (the augment stage's {@code BoxMapper}) use this one mapping, so boxes follow the
 * pixels exactly. With {@link ResizeMode#LETTERBOX} the window keeps its aspect ratio and is centred on a grey canvas
 * at a whole-pixel offset, with Darknet's truncated sizes ({@link Letterbox#letterbox}, which inference uses too);
 * with {@link ResizeMode#RESIZE} it fills the canvas.
 *
 * @param sourceLeft    left edge of the source window, in source pixels
 * @param sourceTop     top edge of the source window, in source pixels
 * @param scaleX        output pixels per source pixel, horizontally
 * @param scaleY        output pixels per source pixel, vertically
 * @param offsetX       left edge of the content on the canvas, in whole output pixels
 * @param offsetY       top edge of the content on the canvas, in whole output pixels
 * @param contentWidth  width the window covers on the canvas, in output pixels
 * @param contentHeight height the window covers on the canvas, in output pixels
 * @param canvasWidth   network input width
 * @param canvasHeight  network input height
 */
public record Placement(
        double sourceLeft,
        double sourceTop,
        double scaleX,
        double scaleY,
        int offsetX,
        int offsetY,
        int contentWidth,
        int contentHeight,
        int canvasWidth,
        int canvasHeight) {
    /** Darknet's letterbox grey (0.5 of 255): the border of a letterboxed image, also what a crop shows outside the photo. */
    public static final float BACKGROUND = 127.5f;


    public Placement {
        if (!Double.isFinite(sourceLeft) || !Double.isFinite(sourceTop) || !(scaleX > 0) || !(scaleY > 0)
                || !Double.isFinite(scaleX) || !Double.isFinite(scaleY)) {
            throw new IllegalArgumentException("placement needs a finite origin and positive scales");
        }
        if (canvasWidth <= 0 || canvasHeight <= 0 || contentWidth <= 0 || contentHeight <= 0 || offsetX < 0 || offsetY < 0
                || offsetX + contentWidth > canvasWidth || offsetY + contentHeight > canvasHeight) {
            throw new IllegalArgumentException("content " + contentWidth + "x" + contentHeight + " at (" + offsetX + ", " + offsetY
                    + ") does not fit the canvas " + canvasWidth + "x" + canvasHeight);
        }
    }

    /** The placement of the window {@code [left, right) x [top, bottom)} of a source image on a canvas. */
    public static Placement of(double left, double top, double right, double bottom, int canvasWidth, int canvasHeight, ResizeMode mode) {
        requireNonNull(mode, "mode");
        double windowWidth = right - left;
        double windowHeight = bottom - top;
        if (!(windowWidth > 0) || !(windowHeight > 0)) {
            throw new IllegalArgumentException("source window must have a positive size, got " + windowWidth + "x" + windowHeight);
        }
        int contentWidth;
        int contentHeight;
        if (windowWidth == Math.rint(windowWidth) && windowHeight == Math.rint(windowHeight)) {
            // a whole-pixel window (the whole image: validation and original copies): exactly what inference does
            Letterbox geometry = switch (mode) {
                case LETTERBOX -> Letterbox.letterbox((int) windowWidth, (int) windowHeight, canvasWidth, canvasHeight);
                case RESIZE -> Letterbox.resize((int) windowWidth, (int) windowHeight, canvasWidth, canvasHeight);
            };
            contentWidth = geometry.resizedWidth();
            contentHeight = geometry.resizedHeight();
        } else {
            // the same rule for a fractional crop window: the longer side fills the canvas, the other is truncated
            boolean widthBound = canvasWidth * windowHeight < canvasHeight * windowWidth;
            contentWidth = switch (mode) {
                case LETTERBOX -> widthBound ? canvasWidth : clamp((int) (windowWidth * canvasHeight / windowHeight), canvasWidth);
                case RESIZE -> canvasWidth;
            };
            contentHeight = switch (mode) {
                case LETTERBOX -> widthBound ? clamp((int) (windowHeight * canvasWidth / windowWidth), canvasHeight) : canvasHeight;
                case RESIZE -> canvasHeight;
            };
        }
        return new Placement(left, top, contentWidth / windowWidth, contentHeight / windowHeight,
                (canvasWidth - contentWidth) / 2, (canvasHeight - contentHeight) / 2, contentWidth, contentHeight,
                canvasWidth, canvasHeight);
    }

    /** The placement of the whole image with no augmentation: what inference does to a photo. */
    public static Placement ofImage(int imageWidth, int imageHeight, int canvasWidth, int canvasHeight, ResizeMode mode) {
        return of(0, 0, imageWidth, imageHeight, canvasWidth, canvasHeight, mode);
    }

    public double toOutputX(double sourceX) {
        return offsetX + (sourceX - sourceLeft) * scaleX;
    }

    public double toOutputY(double sourceY) {
        return offsetY + (sourceY - sourceTop) * scaleY;
    }

    public double toSourceX(double outputX) {
        return sourceLeft + (outputX - offsetX) / scaleX;
    }

    public double toSourceY(double outputY) {
        return sourceTop + (outputY - offsetY) / scaleY;
    }

    /** A box in source pixels mapped onto the canvas. */
    public BoundingBox toOutput(BoundingBox source) {
        return new BoundingBox(toOutputX(source.xmin()), toOutputY(source.ymin()), toOutputX(source.xmax()), toOutputY(source.ymax()));
    }

    /** A box on the canvas mapped back into source pixels (undoes the letterbox or resize). */
    public BoundingBox toSource(BoundingBox output) {
        return new BoundingBox(toSourceX(output.xmin()), toSourceY(output.ymin()), toSourceX(output.xmax()), toSourceY(output.ymax()));
    }

    private static int clamp(int value, int maximum) {
        return Math.max(1, Math.min(value, maximum));
    }
}

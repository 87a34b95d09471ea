package org.yolofleet.publish.report;

import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.NonMaxSuppression;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.NetworkInput;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.release.DecodeSpec;
import org.yolofleet.detect.DetectionRenderer;
import org.yolofleet.detect.Detector;
import org.yolofleet.publish.ValImage;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The model card's detection grid: val images with the detections of the released model drawn on them, as small PNG
 * thumbnails. The network runs in the runtime a device runs (the FP32 ONNX export in ONNX Runtime, {@link Detector}),
 * and its raw output is decoded by the release's own {@link DecodeSpec} (its decoder, score threshold and NMS IoU), so
 * the grid shows what a Pi decoding {@code decode.json} would report. Each image is scaled to at most
 * {@code maximumSide} pixels first and its boxes with it, then the {@value #MOST_DRAWN} best are drawn by
 * {@link DetectionRenderer} (java.awt, headless), so labels keep a readable size.
 */
public final class DetectionGrid {
    /** How many val images the model card shows. */
    public static final int IMAGES = 8;
    /** The longest side of a thumbnail, in pixels. */
    public static final int THUMBNAIL_SIDE = 160;
    /** The most boxes drawn on one thumbnail (the best-scoring ones), so a poorly trained model's card stays legible. */
    public static final int MOST_DRAWN = 10;

    private DetectionGrid() {}

    /**
     * One image of the grid.
     *
     * @param imageKey   the val image's key
     * @param width      the thumbnail's width in pixels
     * @param height     its height
     * @param png        the thumbnail with its detections drawn, PNG
     * @param detections the detections, in the val image's pixels, by descending score
     */
    public record Thumbnail(String imageKey, int width, int height, byte[] png, List<Detection> detections) {
        public Thumbnail {
            requireNonNull(imageKey, "imageKey");
            if (width < 1 || height < 1) {
                throw new IllegalArgumentException("a thumbnail of " + width + " x " + height + " pixels");
            }
            png = requireNonNull(png, "png").clone();
            detections = List.copyOf(detections);
        }

        @Override
        public byte[] png() {
            return png.clone();
        }

        /** The PNG's size in bytes. */
        public int bytes() {
            return png.length;
        }
    }

    /** The thumbnails of {@code images}, in their order, detected by {@code model} and decoded by {@code decode}. */
    public static List<Thumbnail> draw(Detector model, DecodeSpec decode, List<ValImage> images, int maximumSide) {
        requireNonNull(model, "model");
        requireNonNull(decode, "decode");
        if (maximumSide < 16) {
            throw new IllegalArgumentException("thumbnails of at most " + maximumSide + " pixels are too small to show anything");
        }
        if (!model.model().classNames().equals(decode.classes())) {
            throw new IllegalArgumentException("the model detects " + model.model().classNames() + ", the decode spec names " + decode.classes());
        }
        NonMaxSuppression suppression = NonMaxSuppression.withIouThreshold(decode.thresholds().nmsIou());
        List<Thumbnail> thumbnails = new ArrayList<>(images.size());
        for (ValImage image : images) {
            NetworkInput input = model.model().preprocessor().preprocess(image.image());
            float[] output = model.rawOutput(input.pixels());
            List<Detection> detections = decode.decoder().detect(output, input.letterbox(), decode.thresholds().score(), suppression);
            thumbnails.add(thumbnail(image, detections, decode.classes(), maximumSide));
        }
        return thumbnails;
    }

    private static Thumbnail thumbnail(ValImage image, List<Detection> detections, List<String> classes, int maximumSide) {
        RgbImage original = image.image();
        double scale = (double) maximumSide / Math.max(original.width(), original.height());
        int width = Math.max(1, (int) Math.round(original.width() * scale));
        int height = Math.max(1, (int) Math.round(original.height() * scale));
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = scaled.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(original.toIntRgbImage(), 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        double scaleX = (double) width / original.width();
        double scaleY = (double) height / original.height();
        List<Detection> drawn = detections.stream().limit(MOST_DRAWN).map(detection -> {
            BoundingBox box = detection.box();
            return new Detection(detection.classId(), detection.score(),
                    new BoundingBox(box.xmin() * scaleX, box.ymin() * scaleY, box.xmax() * scaleX, box.ymax() * scaleY));
        }).toList();
        BufferedImage rendered = DetectionRenderer.render(RgbImage.of(scaled), drawn, classes);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(rendered, "png", png)) {
                throw new YoloFleetException(ErrorCode.INTERNAL, "this JVM has no PNG writer (javax.imageio)");
            }
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot encode the thumbnail of val image " + image.key() + ": " + failure.getMessage(), failure);
        }
        return new Thumbnail(image.key(), width, height, png.toByteArray(), detections);
    }
}

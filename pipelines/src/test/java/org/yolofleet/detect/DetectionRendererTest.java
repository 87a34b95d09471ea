package org.yolofleet.detect;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.image.RgbImage;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DetectionRendererTest {
    private static final List<String> CLASSES = List.of("WBC", "RBC", "Platelets");

    @Test
    void detectionsThatClipToNothingAreNotDrawn() {
        RgbImage image = greyImage(160, 120);
        List<Detection> outside = List.of(
                new Detection(0, 0.9, new BoundingBox(200, 10, 260, 50)),
                new Detection(1, 0.28, new BoundingBox(-20, -40, 200, -5)));

        BufferedImage rendered = DetectionRenderer.render(image, outside, CLASSES);

        assertThat(changedPixels(image, rendered)).isZero();
    }

    @Test
    void detectionsInsideAreDrawn() {
        RgbImage image = greyImage(160, 120);

        BufferedImage rendered = DetectionRenderer.render(image, List.of(new Detection(0, 0.9, new BoundingBox(40, 40, 100, 90))), CLASSES);

        assertThat(changedPixels(image, rendered)).isPositive();
    }

    private static RgbImage greyImage(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(new Color(128, 128, 128));
        graphics.fillRect(0, 0, width, height);
        graphics.dispose();
        return RgbImage.of(image);
    }

    private static int changedPixels(RgbImage original, BufferedImage rendered) {
        BufferedImage before = original.toIntRgbImage();
        int changed = 0;
        for (int y = 0; y < before.getHeight(); y++) {
            for (int x = 0; x < before.getWidth(); x++) {
                if (before.getRGB(x, y) != rendered.getRGB(x, y)) {
                    changed++;
                }
            }
        }
        return changed;
    }
}

package org.yolofleet.report;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

/** A chart's PNG bytes decoded, with the pixel counts the chart tests check. */
record RenderedPng(BufferedImage image) {
    static RenderedPng decode(byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image).as("PNG that ImageIO decodes").isNotNull();
            return new RenderedPng(image);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    int width() {
        return image.getWidth();
    }

    int height() {
        return image.getHeight();
    }

    /** Pixels that are not white: text, axes, grid and data. */
    int inkedPixels() {
        int inked = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    inked++;
                }
            }
        }
        return inked;
    }

    /** Pixels of exactly this colour (RGB). */
    int pixelsOf(int rgb) {
        int matches = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (rgb & 0xffffff)) {
                    matches++;
                }
            }
        }
        return matches;
    }
}

package org.yolofleet.core.image;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Small pictures for tests: flat rectangles on white, so that colours and positions can be checked after JPEG. */
public final class TestPictures {
    public static final Color RED = new Color(220, 20, 20);
    public static final Color BLUE = new Color(20, 40, 220);

    private TestPictures() {
    }

    /** White, with a red box at (20, 30)-(70, 90) and a blue one at (100, 20)-(150, 60): 160x120. */
    public static BufferedImage twoBoxes() {
        return picture(160, 120, new int[] {20, 30, 70, 90}, RED, new int[] {100, 20, 150, 60}, BLUE);
    }

    /** White with filled boxes (xmin, ymin, xmax, ymax edges), each followed by its colour. */
    public static BufferedImage picture(int width, int height, Object... boxesAndColors) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, width, height);
        for (int index = 0; index < boxesAndColors.length; index += 2) {
            int[] box = (int[]) boxesAndColors[index];
            graphics.setColor((Color) boxesAndColors[index + 1]);
            graphics.fillRect(box[0], box[1], box[2] - box[0], box[3] - box[1]);
        }
        graphics.dispose();
        return image;
    }

    public static byte[] jpeg(BufferedImage image) {
        return JpegCodec.encode(image, 95);
    }

    public static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new AssertionError("not an image");
            }
            return image;
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** Largest difference of a pixel's channels from a colour. */
    public static int distance(int rgb, Color expected) {
        return Math.max(Math.abs((rgb >> 16 & 0xFF) - expected.getRed()), Math.max(Math.abs((rgb >> 8 & 0xFF) - expected.getGreen()),
                Math.abs((rgb & 0xFF) - expected.getBlue())));
    }

    /** A baseline JPEG whose frame header declares another size (a bomb, or an impossible size), pixels unchanged. */
    public static byte[] withDeclaredJpegSize(byte[] jpeg, int width, int height) {
        byte[] patched = jpeg.clone();
        for (int index = 2; index < patched.length - 8; index++) {
            if ((patched[index] & 0xFF) == 0xFF && (patched[index + 1] & 0xFF) == 0xC0) {
                patched[index + 5] = (byte) (height >> 8);
                patched[index + 6] = (byte) height;
                patched[index + 7] = (byte) (width >> 8);
                patched[index + 8] = (byte) width;
                return patched;
            }
        }
        throw new AssertionError("no baseline frame header");
    }
}

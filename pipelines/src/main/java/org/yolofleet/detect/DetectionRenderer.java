package org.yolofleet.detect;

import org.yolofleet.augment.ContactSheet;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.image.RgbImage;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Draws detections on a copy of their image: a box per detection in its class colour (the colours of the augment
 * preview), and a label {@code name 0.87} on a filled tab above the box (inside it when the box touches the top). Line
 * width and font grow with the image, so labels stay readable on large photos. The lowest scores are drawn first, so the
 * best ones end on top. Boxes are clipped to the image; one that clips to nothing ({@link Detection#clippedTo}) is not
 * drawn.
 */
public final class DetectionRenderer {
    private static final int MINIMUM_LINE_WIDTH = 2;
    private static final int MINIMUM_FONT_SIZE = 12;

    private DetectionRenderer() {}

    public static BufferedImage render(RgbImage image, List<Detection> detections, List<String> classNames) {
        requireNonNull(image, "image");
        requireNonNull(detections, "detections");
        requireNonNull(classNames, "classNames");
        BufferedImage canvas = image.toIntRgbImage();
        int shorterSide = Math.min(image.width(), image.height());
        int lineWidth = Math.max(MINIMUM_LINE_WIDTH, shorterSide / 300);
        Graphics2D graphics = canvas.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            graphics.setStroke(new BasicStroke(lineWidth));
            graphics.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(MINIMUM_FONT_SIZE, shorterSide / 40)));
            FontMetrics metrics = graphics.getFontMetrics();
            List<Detection> lowestFirst = new ArrayList<>(Detection.clipAll(detections, image.width(), image.height()));
            lowestFirst.sort((first, second) -> Double.compare(first.score(), second.score()));
            for (Detection detection : lowestFirst) {
                BoundingBox box = detection.box();
                int left = (int) Math.round(box.xmin());
                int top = (int) Math.round(box.ymin());
                int width = Math.max(1, (int) Math.round(box.xmax()) - left);
                int height = Math.max(1, (int) Math.round(box.ymax()) - top);
                Color colour = ContactSheet.classColour(detection.classId());
                graphics.setColor(colour);
                graphics.drawRect(left, top, width, height);

                String name = detection.classId() < classNames.size() ? classNames.get(detection.classId()) : "class_" + detection.classId();
                String label = String.format(Locale.ROOT, "%s %.2f", name, detection.score());
                int tabWidth = metrics.stringWidth(label) + 2 * lineWidth;
                int tabHeight = metrics.getHeight();
                int tabTop = top - tabHeight >= 0 ? top - tabHeight : top;
                int tabLeft = Math.max(0, Math.min(left, image.width() - tabWidth));
                graphics.fillRect(tabLeft, tabTop, tabWidth, tabHeight);
                graphics.setColor(Color.BLACK);
                graphics.drawString(label, tabLeft + lineWidth, tabTop + metrics.getAscent());
            }
        }
        finally {
            graphics.dispose();
        }
        return canvas;
    }
}

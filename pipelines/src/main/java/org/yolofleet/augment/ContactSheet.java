package org.yolofleet.augment;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.RgbImage;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The preview a person looks at: a grid of augmented samples exactly as the network will see them, each with its
 * boxes and class names drawn and a caption naming the source image and copy.
 */
public final class ContactSheet {
    private static final int CAPTION_HEIGHT = 16;
    private static final int GAP = 4;
    private static final Color SHEET = new Color(0x202020);

    private ContactSheet() {
    }

    /** One sample: its label and its decoded image. */
    public record Tile(SampleLabel label, RgbImage image) {
        public Tile {
            requireNonNull(label, "label");
            requireNonNull(image, "image");
        }
    }

    /**
     * @param columns  tiles per row
     * @param tileSize the longer side of a tile in pixels (samples are scaled to it)
     */
    public static BufferedImage render(List<Tile> tiles, int columns, int tileSize) {
        if (columns < 1 || tileSize < 16) {
            throw new IllegalArgumentException("need at least one column and tiles of 16 px, got " + columns + " and " + tileSize);
        }
        int shown = Math.max(1, tiles.size());
        int usedColumns = Math.min(columns, shown);
        int rows = (shown + usedColumns - 1) / usedColumns;
        int cellWidth = tileSize + GAP;
        int cellHeight = tileSize + CAPTION_HEIGHT + GAP;
        BufferedImage sheet = new BufferedImage(usedColumns * cellWidth + GAP, rows * cellHeight + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = sheet.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            graphics.setColor(SHEET);
            graphics.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            if (tiles.isEmpty()) {
                graphics.setColor(Color.WHITE);
                graphics.drawString("no samples", GAP + 4, GAP + 16);
            }
            for (int index = 0; index < tiles.size(); index++) {
                int left = GAP + (index % usedColumns) * cellWidth;
                int top = GAP + (index / usedColumns) * cellHeight;
                drawTile(graphics, tiles.get(index), left, top, tileSize);
            }
        } finally {
            graphics.dispose();
        }
        return sheet;
    }

    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException exception) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot encode the preview PNG: " + exception.getMessage(), exception);
        }
        return bytes.toByteArray();
    }

    /** A distinct, stable colour per class id (golden-angle hues). */
    public static Color classColour(int classId) {
        float hue = (float) ((classId * 0.618033988749895) % 1.0);
        return Color.getHSBColor(hue, 0.85f, 1f);
    }

    private static void drawTile(Graphics2D graphics, Tile tile, int left, int top, int tileSize) {
        RgbImage image = tile.image();
        double scale = (double) tileSize / Math.max(image.width(), image.height());
        int width = (int) Math.round(image.width() * scale);
        int height = (int) Math.round(image.height() * scale);
        graphics.drawImage(image.toIntRgbImage(), left, top, width, height, null);
        graphics.setStroke(new BasicStroke(2f));
        FontMetrics metrics = graphics.getFontMetrics();
        for (SampleLabel.Box box : tile.label().boxes()) {
            Color colour = classColour(box.classId());
            int x = left + (int) Math.round(box.xmin() * scale);
            int y = top + (int) Math.round(box.ymin() * scale);
            int boxWidth = (int) Math.round((box.xmax() - box.xmin()) * scale);
            int boxHeight = (int) Math.round((box.ymax() - box.ymin()) * scale);
            graphics.setColor(colour);
            graphics.drawRect(x, y, boxWidth, boxHeight);
            String name = box.className() + (box.difficult() ? " (difficult)" : "");
            int textWidth = metrics.stringWidth(name) + 4;
            int textTop = Math.max(top, y - metrics.getHeight());
            graphics.fillRect(x, textTop, textWidth, metrics.getHeight());
            graphics.setColor(Color.BLACK);
            graphics.drawString(name, x + 2, textTop + metrics.getAscent());
        }
        SampleLabel label = tile.label();
        String caption = label.id() + "  copy " + label.copy() + (label.augmentation().flip() ? "  flipped" : "")
                + (label.droppedBoxes() > 0 ? "  " + label.droppedBoxes() + " dropped" : "");
        graphics.setColor(Color.LIGHT_GRAY);
        graphics.drawString(caption, left, top + height + metrics.getAscent() + 2);
    }
}

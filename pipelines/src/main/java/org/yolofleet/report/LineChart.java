package org.yolofleet.report;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * A small line chart for run reports (loss and mAP curves, precision/recall curves): one polyline per series, axes
 * with five ticks, a legend. Non-finite points are skipped. Fixed axis ranges where the quantity has one (mAP,
 * precision and recall in [0, 1]); otherwise the range of the data.
 */
public record LineChart(String title, String xLabel, String yLabel, List<Series> series, Range xRange, Range yRange) {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    /** One named polyline; {@code x} and {@code y} of the same length. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            requireNonNull(name, "name");
            x = x.clone();
            y = y.clone();
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + " has " + x.length + " x values but " + y.length + " y values");
            }
        }
    }

    /** An axis range; {@code null} in a chart means the data's range. */
    public record Range(double min, double max) {
        public static final Range UNIT = new Range(0, 1);

        public Range {
            if (!(max > min)) {
                throw new IllegalArgumentException("range max " + max + " must exceed min " + min);
            }
        }
    }

    public LineChart {
        requireNonNull(title, "title");
        requireNonNull(xLabel, "xLabel");
        requireNonNull(yLabel, "yLabel");
        series = List.copyOf(series);
    }

    public BufferedImage render(int width, int height) {
        Range x = xRange != null ? xRange : dataRange(true);
        Range y = yRange != null ? yRange : dataRange(false);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, width, height);
        graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        graphics.setColor(Color.BLACK);
        graphics.drawString(title, LEFT, 22);
        int plotWidth = width - LEFT - RIGHT;
        int plotHeight = height - TOP - BOTTOM;
        graphics.drawRect(LEFT, TOP, plotWidth, plotHeight);
        for (int tick = 0; tick <= 4; tick++) {
            double share = tick / 4.0;
            int px = LEFT + (int) Math.round(share * plotWidth);
            int py = TOP + plotHeight - (int) Math.round(share * plotHeight);
            graphics.setColor(new Color(0xe0e0e0));
            graphics.drawLine(px, TOP, px, TOP + plotHeight);
            graphics.drawLine(LEFT, py, LEFT + plotWidth, py);
            graphics.setColor(Color.BLACK);
            String xTick = tickLabel(x.min() + share * (x.max() - x.min()));
            graphics.drawString(xTick, px - graphics.getFontMetrics().stringWidth(xTick) / 2, TOP + plotHeight + 16);
            String yTick = tickLabel(y.min() + share * (y.max() - y.min()));
            graphics.drawString(yTick, LEFT - 6 - graphics.getFontMetrics().stringWidth(yTick), py + 4);
        }
        graphics.drawString(xLabel, LEFT + plotWidth / 2 - graphics.getFontMetrics().stringWidth(xLabel) / 2, height - 12);
        graphics.rotate(-Math.PI / 2);
        graphics.drawString(yLabel, -(TOP + plotHeight / 2 + graphics.getFontMetrics().stringWidth(yLabel) / 2), 16);
        graphics.rotate(Math.PI / 2);

        graphics.setClip(LEFT, TOP, plotWidth + 1, plotHeight + 1);
        graphics.setStroke(new BasicStroke(2f));
        for (int index = 0; index < series.size(); index++) {
            Series line = series.get(index);
            graphics.setColor(PALETTE[index % PALETTE.length]);
            int previousX = Integer.MIN_VALUE;
            int previousY = 0;
            for (int point = 0; point < line.x().length; point++) {
                if (!Double.isFinite(line.x()[point]) || !Double.isFinite(line.y()[point])) {
                    previousX = Integer.MIN_VALUE;
                    continue;
                }
                int px = LEFT + (int) Math.round((line.x()[point] - x.min()) / (x.max() - x.min()) * plotWidth);
                int py = TOP + plotHeight - (int) Math.round((line.y()[point] - y.min()) / (y.max() - y.min()) * plotHeight);
                if (previousX != Integer.MIN_VALUE) {
                    graphics.drawLine(previousX, previousY, px, py);
                } else if (line.x().length == 1) {
                    graphics.fillOval(px - 3, py - 3, 6, 6);
                }
                previousX = px;
                previousY = py;
            }
        }
        graphics.setClip(null);
        int legendY = TOP + 16;
        for (int index = 0; index < series.size(); index++) {
            String name = series.get(index).name();
            int textWidth = graphics.getFontMetrics().stringWidth(name);
            int legendX = LEFT + plotWidth - textWidth - 34;
            graphics.setColor(PALETTE[index % PALETTE.length]);
            graphics.drawLine(legendX, legendY - 4, legendX + 20, legendY - 4);
            graphics.setColor(Color.BLACK);
            graphics.drawString(name, legendX + 26, legendY);
            legendY += 16;
        }
        graphics.dispose();
        return image;
    }

    /** The chart as PNG bytes. */
    public byte[] png(int width, int height) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(render(width, height), "png", bytes);
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot encode the chart '" + title + "' as PNG: " + failure.getMessage(), failure);
        }
        return bytes.toByteArray();
    }

    private Range dataRange(boolean horizontal) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series line : series) {
            for (double value : horizontal ? line.x() : line.y()) {
                if (Double.isFinite(value)) {
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                }
            }
        }
        if (min == Double.POSITIVE_INFINITY) {
            return Range.UNIT;
        }
        if (!horizontal) {
            min = Math.min(min, 0);
        }
        return max > min ? new Range(min, max) : new Range(min - 0.5, min + 0.5);
    }

    private static String tickLabel(double value) {
        double magnitude = Math.abs(value);
        return magnitude != 0 && (magnitude >= 10_000 || magnitude < 0.01)
                ? String.format(Locale.ROOT, "%.1e", value)
                : magnitude >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}

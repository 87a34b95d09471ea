package org.yolofleet.core.eval;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import javax.imageio.ImageIO;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * Draws the precision/recall curves of an {@link Evaluation} as a PNG: one curve per class with its AP in the legend,
 * and the mAP values in the title. Classes without ground truth appear in the legend only. Uses only
 * {@link BufferedImage} drawing, so it works in headless JVMs.
 *
 * <pre>{@code
 * PrecisionRecallPlot.write(evaluation, classNames, AveragePrecisionMethod.VOC2010_AREA, Path.of("pr.png"));
 * }</pre>
 */
public final class PrecisionRecallPlot {
    /** The colours of the first 20 classes (matplotlib's tab20); later classes reuse them with dashed lines. */
    private static final List<Color> PALETTE = List.of(
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
            new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
            new Color(0xaec7e8), new Color(0xffbb78), new Color(0x98df8a), new Color(0xff9896), new Color(0xc5b0d5),
            new Color(0xc49c94), new Color(0xf7b6d2), new Color(0xc7c7c7), new Color(0xdbdb8d), new Color(0x9edae5));

    private static final int PLOT_LEFT = 70;
    private static final int PLOT_TOP = 60;
    private static final int PLOT_SIZE = 560;
    private static final int LEGEND_LEFT = PLOT_LEFT + PLOT_SIZE + 30;
    private static final int LEGEND_LINE_HEIGHT = 20;
    private static final int WIDTH = LEGEND_LEFT + 330;
    private static final int MINIMUM_HEIGHT = PLOT_TOP + PLOT_SIZE + 60;

    private PrecisionRecallPlot() {}

    /** Writes the plot to {@code file} as a PNG, naming classes "class 0", "class 1", .... */
    public static void write(Evaluation evaluation, AveragePrecisionMethod method, Path file) {
        write(evaluation, defaultNames(requireNonNull(evaluation, "evaluation").classes().size()), method, file);
    }

    /** Writes the plot to {@code file} as a PNG; {@code classNames} has one name per class, in class order. */
    public static void write(Evaluation evaluation, List<String> classNames, AveragePrecisionMethod method, Path file) {
        requireNonNull(file, "file");
        BufferedImage image = render(evaluation, classNames, method);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new YoloFleetException(ErrorCode.INTERNAL, "no PNG writer available for " + file);
            }
        }
        catch (IOException exception) {
            throw new YoloFleetException(ErrorCode.IO, "cannot write precision/recall plot " + file + ": " + exception.getMessage(), exception);
        }
    }

    /** The plot as an image. */
    public static BufferedImage render(Evaluation evaluation, List<String> classNames, AveragePrecisionMethod method) {
        requireNonNull(evaluation, "evaluation");
        requireNonNull(method, "method");
        List<String> names = List.copyOf(requireNonNull(classNames, "classNames"));
        List<ClassEvaluation> classes = evaluation.classes();
        if (names.size() != classes.size()) {
            throw new IllegalArgumentException("need one name per class: " + classes.size() + " classes, " + names.size() + " names");
        }
        int height = Math.max(MINIMUM_HEIGHT, PLOT_TOP + (classes.size() + 2) * LEGEND_LINE_HEIGHT);
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, WIDTH, height);
            drawTitle(graphics, evaluation, method);
            drawAxes(graphics);
            drawCurvesAndLegend(graphics, classes, names, method);
        }
        finally {
            graphics.dispose();
        }
        return image;
    }

    /** The colour of a class's curve. */
    static Color color(int classId) {
        return PALETTE.get(classId % PALETTE.size());
    }

    private static void drawTitle(Graphics2D graphics, Evaluation evaluation, AveragePrecisionMethod method) {
        graphics.setColor(Color.BLACK);
        graphics.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        graphics.drawString(String.format(Locale.ROOT, "Precision/recall at IoU %.2f", evaluation.settings().iouThreshold()), PLOT_LEFT, 25);
        graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        graphics.drawString(
                "mAP " + format(evaluation.meanAveragePrecision(method)) + " (" + method.label() + "),  COCO mAP@[.5:.95] "
                        + format(evaluation.cocoMeanAveragePrecision()),
                PLOT_LEFT, 45);
    }

    private static void drawAxes(Graphics2D graphics) {
        graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int tick = 0; tick <= 10; tick++) {
            int x = plotX(tick / 10.0);
            int y = plotY(tick / 10.0);
            graphics.setColor(new Color(0xe5e5e5));
            graphics.drawLine(x, PLOT_TOP, x, PLOT_TOP + PLOT_SIZE);
            graphics.drawLine(PLOT_LEFT, y, PLOT_LEFT + PLOT_SIZE, y);
            graphics.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%.1f", tick / 10.0);
            graphics.drawString(label, x - 8, PLOT_TOP + PLOT_SIZE + 16);
            graphics.drawString(label, PLOT_LEFT - 28, y + 4);
        }
        graphics.setColor(Color.BLACK);
        graphics.drawRect(PLOT_LEFT, PLOT_TOP, PLOT_SIZE, PLOT_SIZE);
        graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        graphics.drawString("recall", PLOT_LEFT + PLOT_SIZE / 2 - 18, PLOT_TOP + PLOT_SIZE + 38);
        Graphics2D rotated = (Graphics2D) graphics.create();
        try {
            rotated.rotate(-Math.PI / 2);
            rotated.drawString("precision", -(PLOT_TOP + PLOT_SIZE / 2 + 28), PLOT_LEFT - 38);
        }
        finally {
            rotated.dispose();
        }
    }

    private static void drawCurvesAndLegend(Graphics2D graphics, List<ClassEvaluation> classes, List<String> names, AveragePrecisionMethod method) {
        graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int legendY = PLOT_TOP + 12;
        for (ClassEvaluation evaluation : classes) {
            int classId = evaluation.classId();
            Stroke stroke = classId < PALETTE.size()
                    ? new BasicStroke(2f)
                    : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f);
            graphics.setColor(color(classId));
            graphics.setStroke(stroke);
            PrecisionRecallCurve curve = evaluation.curve();
            if (curve.size() > 0) {
                graphics.draw(curvePath(curve));
            }
            graphics.drawLine(LEGEND_LEFT, legendY - 4, LEGEND_LEFT + 24, legendY - 4);
            graphics.setStroke(new BasicStroke(1f));
            graphics.setColor(Color.BLACK);
            OptionalDouble averagePrecision = evaluation.averagePrecision(method);
            String text = names.get(classId) + "  " + (averagePrecision.isPresent() ? "AP " + format(averagePrecision) : "no ground truth");
            graphics.drawString(text, LEGEND_LEFT + 32, legendY);
            legendY += LEGEND_LINE_HEIGHT;
        }
    }

    /** The ranked points joined by lines, starting at recall 0 with the first point's precision. */
    private static Path2D curvePath(PrecisionRecallCurve curve) {
        double[] recall = curve.recall();
        double[] precision = curve.precision();
        Path2D.Double path = new Path2D.Double();
        path.moveTo(plotX(0), plotY(precision[0]));
        for (int index = 0; index < recall.length; index++) {
            path.lineTo(plotX(recall[index]), plotY(precision[index]));
        }
        return path;
    }

    private static int plotX(double recall) {
        return PLOT_LEFT + (int) Math.round(recall * PLOT_SIZE);
    }

    private static int plotY(double precision) {
        return PLOT_TOP + PLOT_SIZE - (int) Math.round(precision * PLOT_SIZE);
    }

    private static String format(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.4f", value.getAsDouble()) : "undefined";
    }

    private static List<String> defaultNames(int classCount) {
        List<String> names = new ArrayList<>(classCount);
        for (int classId = 0; classId < classCount; classId++) {
            names.add("class " + classId);
        }
        return names;
    }
}

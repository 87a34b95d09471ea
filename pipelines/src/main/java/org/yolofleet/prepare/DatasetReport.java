package org.yolofleet.prepare;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.StagedOutput;
import org.yolofleet.stage.DatasetManifest;
import org.yolofleet.stage.DatasetSchema;
import org.yolofleet.stage.Split;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The small human report of a prepared dataset under {@code report/}: a class histogram, a box-size scatter
 * with the anchors drawn, and the one-screen text summary.
 */
public final class DatasetReport {
    public static final String CLASSES_PNG = "classes.png";
    public static final String BOXES_PNG = "boxes.png";
    public static final String SUMMARY_TXT = "summary.txt";
    private static final Color TRAIN = new Color(0x1f77b4);
    private static final Color VAL = new Color(0xff7f0e);

    private DatasetReport() {
    }

    static void write(StagedOutput output, DatasetManifest manifest, DatasetStatistics statistics,
                      AnchorComputation.Anchors anchors, QuarantineStatistics quarantine) {
        String directory = DatasetSchema.REPORT_DIRECTORY + "/";
        HadoopFiles.write(output.fileSystem(), output.staged(directory + CLASSES_PNG), png(classHistogram(manifest)));
        HadoopFiles.write(output.fileSystem(), output.staged(directory + BOXES_PNG), png(boxScatter(statistics, anchors)));
        HadoopFiles.write(output.fileSystem(), output.staged(directory + SUMMARY_TXT),
                summary(manifest, quarantine, output.output().toString()).getBytes(StandardCharsets.UTF_8));
    }

    /** The one-screen summary printed at the end of the job. */
    public static String summary(DatasetManifest manifest, QuarantineStatistics quarantine, String outputUri) {
        StringBuilder text = new StringBuilder();
        String newline = System.lineSeparator();
        text.append(String.format(Locale.ROOT, "yolofleet prepare: done in %.1f s%n", manifest.durationSeconds()));
        text.append("  output      ").append(outputUri).append("  (dataset version ").append(manifest.version()).append(')').append(newline);
        text.append("  sources     ");
        manifest.sources().forEach(source -> text.append(source.name()).append(" (").append(source.annotationFiles())
                .append(" annotations, ").append(source.imageFiles()).append(" images)  "));
        text.append(newline);
        DatasetManifest.Records records = manifest.records();
        DatasetManifest.SplitCounts train = manifest.splits().get(Split.TRAIN.directoryName());
        DatasetManifest.SplitCounts val = manifest.splits().get(Split.VAL.directoryName());
        text.append(String.format(Locale.ROOT, "  images      %d seen, %d kept (train %d, val %d), %d rejected, %d negatives%n",
                records.seen(), records.kept(), train.images(), val.images(), records.rejected(), records.negatives()));
        text.append(String.format(Locale.ROOT, "  objects     %d kept (train %d, val %d), %d rejected, %d warnings%n",
                records.objects(), train.objects(), val.objects(), records.objectsRejected(), records.warnings()));
        manifest.notices().forEach(notice -> text.append("  WARNING     ").append(notice).append(newline));
        text.append("  per class  ");
        for (String name : manifest.classes()) {
            text.append(' ').append(name).append(' ').append(train.objectsPerClass().getOrDefault(name, 0L))
                    .append('/').append(val.objectsPerClass().getOrDefault(name, 0L));
        }
        text.append("   (train/val)").append(newline);
        DatasetManifest.AnchorSummary anchors = manifest.anchors();
        text.append(String.format(Locale.ROOT, "  anchors     %s  (grid units of %dx%d)%n", anchors.text(),
                manifest.input().width() / 32, manifest.input().height() / 32));
        text.append(String.format(Locale.ROOT, "  mean IoU    %.3f with these anchors, %.3f with the VOC defaults (%d training boxes)%n",
                anchors.meanIou(), anchors.vocDefaultMeanIou(), anchors.trainingBoxes()));
        if (quarantine.reasons().isEmpty()) {
            text.append("  quarantine  empty").append(newline);
        } else {
            text.append("  quarantine  by reason:").append(newline).append(quarantine.text(1));
        }
        text.append("  report      ").append(outputUri).append("/report/{").append(CLASSES_PNG).append(", ").append(BOXES_PNG)
                .append(", ").append(SUMMARY_TXT).append('}').append(newline);
        return text.toString();
    }

    static BufferedImage classHistogram(DatasetManifest manifest) {
        List<String> classes = manifest.classes();
        Map<String, Long> train = manifest.splits().get(Split.TRAIN.directoryName()).objectsPerClass();
        Map<String, Long> val = manifest.splits().get(Split.VAL.directoryName()).objectsPerClass();
        int width = Math.max(480, 80 + classes.size() * 70);
        int height = 360;
        BufferedImage image = canvas(width, height);
        Graphics2D graphics = image.createGraphics();
        setUp(graphics);
        long maximum = 1;
        for (String name : classes) {
            maximum = Math.max(maximum, train.getOrDefault(name, 0L) + val.getOrDefault(name, 0L));
        }
        int left = 60;
        int bottom = height - 60;
        int plotHeight = bottom - 40;
        graphics.drawString("objects per class (train / val)", left, 24);
        graphics.drawLine(left, bottom, width - 20, bottom);
        int slot = (width - left - 20) / Math.max(1, classes.size());
        for (int index = 0; index < classes.size(); index++) {
            String name = classes.get(index);
            long trainCount = train.getOrDefault(name, 0L);
            long valCount = val.getOrDefault(name, 0L);
            int x = left + index * slot + slot / 6;
            int barWidth = Math.max(4, slot * 2 / 3);
            int trainHeight = (int) (plotHeight * trainCount / maximum);
            int valHeight = (int) (plotHeight * valCount / maximum);
            graphics.setColor(TRAIN);
            graphics.fillRect(x, bottom - trainHeight, barWidth, trainHeight);
            graphics.setColor(VAL);
            graphics.fillRect(x, bottom - trainHeight - valHeight, barWidth, valHeight);
            graphics.setColor(Color.BLACK);
            graphics.drawString(name, x, bottom + 16);
            graphics.drawString(trainCount + "/" + valCount, x, bottom - trainHeight - valHeight - 4);
        }
        graphics.dispose();
        return image;
    }

    static BufferedImage boxScatter(DatasetStatistics statistics, AnchorComputation.Anchors anchors) {
        int size = 480;
        BufferedImage image = canvas(size, size);
        Graphics2D graphics = image.createGraphics();
        setUp(graphics);
        double maximum = 1;
        for (double[] box : statistics.boxSizeSample()) {
            maximum = Math.max(maximum, Math.max(box[0], box[1]));
        }
        for (double[] anchor : anchors.computed().anchors()) {
            maximum = Math.max(maximum, Math.max(anchor[0], anchor[1]));
        }
        maximum *= 1.05;
        int left = 50;
        int bottom = size - 40;
        int extent = size - 70;
        graphics.drawString("box width × height (grid cells); anchors in red", left, 20);
        graphics.drawLine(left, bottom, left + extent, bottom);
        graphics.drawLine(left, bottom, left, bottom - extent);
        graphics.drawString(String.format(Locale.ROOT, "%.1f", maximum), left + extent - 20, bottom + 16);
        graphics.drawString(String.format(Locale.ROOT, "%.1f", maximum), 8, bottom - extent + 4);
        graphics.setColor(new Color(31, 119, 180, 90));
        for (double[] box : statistics.boxSizeSample()) {
            int x = left + (int) (box[0] / maximum * extent);
            int y = bottom - (int) (box[1] / maximum * extent);
            graphics.fillOval(x - 2, y - 2, 4, 4);
        }
        graphics.setColor(Color.RED);
        graphics.setStroke(new BasicStroke(2f));
        for (double[] anchor : anchors.computed().anchors()) {
            int x = left + (int) (anchor[0] / maximum * extent);
            int y = bottom - (int) (anchor[1] / maximum * extent);
            graphics.drawLine(x - 6, y - 6, x + 6, y + 6);
            graphics.drawLine(x - 6, y + 6, x + 6, y - 6);
            graphics.drawString(String.format(Locale.ROOT, "%.2f,%.2f", anchor[0], anchor[1]), x + 8, y - 4);
        }
        graphics.dispose();
        return image;
    }

    private static BufferedImage canvas(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, width, height);
        graphics.dispose();
        return image;
    }

    private static void setUp(Graphics2D graphics) {
        graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        graphics.setColor(Color.BLACK);
    }

    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException exception) {
            throw new YoloFleetException(ErrorCode.IO, "cannot encode PNG: " + exception.getMessage(), exception);
        }
        return bytes.toByteArray();
    }
}

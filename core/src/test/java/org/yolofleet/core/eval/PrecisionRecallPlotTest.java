package org.yolofleet.core.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrecisionRecallPlotTest {
    private static final BoundingBox OBJECT = new BoundingBox(0, 0, 10, 10);

    @Test
    void writesAPngWithOneCurvePerClass(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("plots/pr.png");

        PrecisionRecallPlot.write(evaluation(), List.of("dog", "cat", "bird"), AveragePrecisionMethod.VOC2010_AREA, file);

        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isGreaterThan(600);
        assertThat(countPixels(image, PrecisionRecallPlot.color(0).getRGB())).isGreaterThan(100);
        assertThat(countPixels(image, PrecisionRecallPlot.color(1).getRGB())).isGreaterThan(100);
    }

    @Test
    void namesClassesByNumberWhenNoNamesAreGiven(@TempDir Path directory) {
        Path file = directory.resolve("pr.png");
        PrecisionRecallPlot.write(evaluation(), AveragePrecisionMethod.VOC2007_ELEVEN_POINT, file);
        assertThat(file).isNotEmptyFile();
    }

    @Test
    void growsWithManyClasses() {
        Evaluation evaluation = new VocEvaluator(60).evaluate(List.of(new GroundTruth("a", 59, OBJECT, false)), List.of());
        List<String> names = IntStream.range(0, 60).mapToObj(index -> "class " + index).toList();
        BufferedImage image = PrecisionRecallPlot.render(evaluation, names, AveragePrecisionMethod.VOC2010_AREA);
        assertThat(image.getHeight()).isGreaterThan(60 * 20);
    }

    @Test
    void needsOneNamePerClass() {
        assertThatThrownBy(() -> PrecisionRecallPlot.render(evaluation(), List.of("dog"), AveragePrecisionMethod.VOC2010_AREA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 classes, 1 names");
    }

    @Test
    void reportsAnUnwritableFile(@TempDir Path directory) throws IOException {
        Path blocker = Files.writeString(directory.resolve("not-a-directory"), "x");
        assertThatThrownBy(() -> PrecisionRecallPlot.write(evaluation(), AveragePrecisionMethod.VOC2010_AREA, blocker.resolve("pr.png")))
                .isInstanceOfSatisfying(YoloFleetException.class, exception -> assertThat(exception.code()).isEqualTo(ErrorCode.IO));
    }

    /** Class 0 found with one false positive, class 1 found at the second try, class 2 without ground truth. */
    private static Evaluation evaluation() {
        List<GroundTruth> truths = List.of(
                new GroundTruth("a", 0, OBJECT, false),
                new GroundTruth("b", 0, OBJECT, false),
                new GroundTruth("a", 1, OBJECT, false));
        List<Prediction> predictions = List.of(
                new Prediction("a", new Detection(0, 0.9, OBJECT)),
                new Prediction("c", new Detection(0, 0.8, OBJECT)),
                new Prediction("b", new Detection(0, 0.7, OBJECT)),
                new Prediction("c", new Detection(1, 0.6, OBJECT)),
                new Prediction("a", new Detection(1, 0.5, OBJECT)),
                new Prediction("a", new Detection(2, 0.5, OBJECT)));
        return new VocEvaluator(3).evaluate(truths, predictions);
    }

    private static int countPixels(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (rgb & 0xffffff)) {
                    count++;
                }
            }
        }
        return count;
    }
}

package org.yolofleet.publish.report;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.core.release.DecodeSpec;
import org.yolofleet.core.release.DecodeThresholds;
import org.yolofleet.detect.DetectFixtures;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.OnnxRuntimeDetector;
import org.yolofleet.publish.ValImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The grid drawn by a real ONNX export (the small Tiny-YOLOv2, random weights) in ONNX Runtime, on BCCD photos (640 x 480). */
class DetectionGridTest {
    private static final List<String> CLASSES = DetectFixtures.BCCD_CLASSES;
    private static final ModelSpec SPEC = DetectFixtures.smallTinyYolo(CLASSES.size());
    private static Detector onnx;
    private static List<ValImage> images;

    @BeforeAll
    static void exportTheModel() throws IOException {
        byte[] model = OnnxExporter.withDefaults().export(SPEC, DetectFixtures.randomWeights(SPEC, 7).layers(), CLASSES, "test");
        onnx = OnnxRuntimeDetector.open(model, "small-tiny-yolo.onnx", Optional.of(CLASSES), 1);
        images = new ArrayList<>();
        for (Path file : DetectFixtures.bccdImages()) {
            images.add(new ValImage(file.getFileName().toString(), ImageDecoder.STORED_IMAGES.decode(Files.readAllBytes(file)).image(), List.of()));
        }
    }

    @AfterAll
    static void close() {
        onnx.close();
    }

    @Test
    void eachImageIsAThumbnailWithTheDetectionsTheExportMakesAtTheDecodeSpecsThresholds() throws IOException {
        DecodeSpec decode = DecodeSpec.from(SPEC, CLASSES, new DecodeThresholds(0.2, 0.45));

        List<DetectionGrid.Thumbnail> thumbnails = DetectionGrid.draw(onnx, decode, images, 160);

        assertThat(thumbnails).extracting(DetectionGrid.Thumbnail::imageKey).containsExactlyElementsOf(images.stream().map(ValImage::key).toList());
        int detections = 0;
        for (int index = 0; index < images.size(); index++) {
            DetectionGrid.Thumbnail thumbnail = thumbnails.get(index);
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(thumbnail.png()));
            assertThat(png.getWidth()).isEqualTo(thumbnail.width()).isEqualTo(160);
            assertThat(png.getHeight()).isEqualTo(thumbnail.height()).isEqualTo(120);
            // decoded by the release's decode spec: what the runtime's own decoder finds at the spec's thresholds
            List<Detection> expected = onnx.detect(images.get(index).image(), new DetectionThresholds(0.2, 0.45));
            assertThat(thumbnail.detections()).isEqualTo(expected);
            detections += expected.size();
        }
        assertThat(detections).as("random weights still detect something at score 0.2").isPositive();
        assertThat(thumbnails).allSatisfy(thumbnail -> assertThat(thumbnail.bytes()).isLessThan(80_000));
        System.out.println("grid: " + detections + " detections on " + images.size() + " images, PNG bytes "
                + thumbnails.stream().map(DetectionGrid.Thumbnail::bytes).toList());
    }

    @Test
    void theDetectionsAreDrawnOnTheThumbnail() throws IOException {
        List<DetectionGrid.Thumbnail> drawn = DetectionGrid.draw(onnx, DecodeSpec.from(SPEC, CLASSES, new DecodeThresholds(0.2, 0.45)), images, 160);
        // a threshold no score reaches: the same thumbnails without a box
        List<DetectionGrid.Thumbnail> bare = DetectionGrid.draw(onnx, DecodeSpec.from(SPEC, CLASSES, new DecodeThresholds(1, 0.45)), images, 160);

        for (int index = 0; index < images.size(); index++) {
            assertThat(bare.get(index).detections()).isEmpty();
            int changed = changedPixels(ImageIO.read(new ByteArrayInputStream(bare.get(index).png())),
                    ImageIO.read(new ByteArrayInputStream(drawn.get(index).png())));
            if (drawn.get(index).detections().isEmpty()) {
                assertThat(changed).isZero();
            } else {
                assertThat(changed).isPositive();
            }
        }
    }

    @Test
    void onlyTheBestDetectionsAreDrawn() throws IOException {
        List<ValImage> first = images.subList(0, 1);
        DetectionGrid.Thumbnail all = DetectionGrid.draw(onnx, DecodeSpec.from(SPEC, CLASSES, new DecodeThresholds(0.2, 0.45)), first, 160).get(0);
        assertThat(all.detections()).as("random weights detect more than are drawn").hasSizeGreaterThan(DetectionGrid.MOST_DRAWN);
        // the score of the last one drawn as the threshold: NMS keeps the same best boxes, and nothing else is decoded
        double lastDrawn = all.detections().get(DetectionGrid.MOST_DRAWN - 1).score();
        DetectionGrid.Thumbnail best = DetectionGrid.draw(onnx, DecodeSpec.from(SPEC, CLASSES, new DecodeThresholds(lastDrawn, 0.45)), first, 160)
                .get(0);

        assertThat(best.detections()).isEqualTo(all.detections().subList(0, best.detections().size()));
        assertThat(changedPixels(ImageIO.read(new ByteArrayInputStream(all.png())), ImageIO.read(new ByteArrayInputStream(best.png())))).isZero();
    }

    @Test
    void aDecodeSpecOfOtherClassesIsRefused() {
        DecodeSpec other = DecodeSpec.from(SPEC, List.of("a", "b", "c"), DecodeThresholds.DARKNET);
        assertThatThrownBy(() -> DetectionGrid.draw(onnx, other, images, 160)).hasMessageContaining("the decode spec names [a, b, c]");
    }

    private static int changedPixels(BufferedImage one, BufferedImage other) {
        int changed = 0;
        for (int y = 0; y < one.getHeight(); y++) {
            for (int x = 0; x < one.getWidth(); x++) {
                if (one.getRGB(x, y) != other.getRGB(x, y)) {
                    changed++;
                }
            }
        }
        return changed;
    }
}

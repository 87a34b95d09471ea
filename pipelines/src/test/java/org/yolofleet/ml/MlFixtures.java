package org.yolofleet.ml;

import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.image.SampleImages;
import org.yolofleet.core.model.Activation;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.LayerSpec;
import org.yolofleet.core.model.MaxPoolLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.detect.DetectFixtures;
import org.yolofleet.detect.DetectRequest;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.ModelLoader;
import org.yolofleet.detect.ModelSource;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A small random ONNX model and a handful of generated images for the Spark ML tests, and the one-JVM detector's answers. */
public final class MlFixtures {
    public static final DetectionThresholds THRESHOLDS = new DetectionThresholds(0.1, 0.45);
    static final long WEIGHTS_SEED = 18;
    private static final int SIZE = 128;

    private MlFixtures() {}

    /** Tiny-YOLOv2's layout with few filters at 128 x 128 (a 4 x 4 grid), letterboxed, the BCCD classes. */
    static ModelSpec spec() {
        ModelSpec voc = TinyYoloV2.spec(DetectFixtures.BCCD_CLASSES.size(), TinyYoloV2.VOC_ANCHORS, SIZE, SIZE, ResizeMode.LETTERBOX);
        List<LayerSpec> layers = new ArrayList<>();
        for (int filters : new int[] {4, 8, 8, 16, 16}) {
            layers.add(new ConvolutionalLayer(filters, 3, 1, true, true, Activation.LEAKY));
            layers.add(new MaxPoolLayer(2, 2));
        }
        layers.add(new ConvolutionalLayer(16, 3, 1, true, true, Activation.LEAKY));
        RegionLayer region = voc.region();
        layers.add(new ConvolutionalLayer(region.outputChannels(), 1, 1, true, false, Activation.LINEAR));
        layers.add(region);
        return new ModelSpec(SIZE, SIZE, 3, ResizeMode.LETTERBOX, voc.netOptions(), layers);
    }

    /** The spec with random weights exported by the ONNX exporter to {@code directory/model.onnx}. */
    public static Path onnxModel(Path directory) throws IOException {
        ModelSpec spec = spec();
        Path file = directory.resolve("model.onnx");
        Files.write(file, OnnxExporter.withDefaults().export(spec, DetectFixtures.randomWeights(spec, WEIGHTS_SEED).layers(),
                DetectFixtures.BCCD_CLASSES, "ml-test"));
        return file;
    }

    /**
     * Images both Spark sources decode as {@code detect} does (no EXIF, no ICC profile): RGB JPEG and PNG of several
     * sizes, a grayscale PNG and a PNG with transparency, written into {@code directory}.
     */
    public static List<Path> plainImages(Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> files = new ArrayList<>();
        files.add(write(directory.resolve("a.jpg"), SampleImages.jpeg(scene(160, 120, 1, BufferedImage.TYPE_3BYTE_BGR), 90)));
        files.add(write(directory.resolve("b.png"), SampleImages.png(scene(100, 140, 2, BufferedImage.TYPE_3BYTE_BGR))));
        files.add(write(directory.resolve("c.jpg"), SampleImages.jpeg(scene(200, 90, 3, BufferedImage.TYPE_3BYTE_BGR), 80)));
        files.add(write(directory.resolve("d-gray.png"), SampleImages.png(scene(120, 120, 4, BufferedImage.TYPE_BYTE_GRAY))));
        files.add(write(directory.resolve("e-alpha.png"), SampleImages.png(scene(150, 110, 5, BufferedImage.TYPE_4BYTE_ABGR))));
        return files;
    }

    /** A JPEG stored sideways with EXIF orientation 6 (rotate 90 degrees clockwise to view): only {@code detect}'s decoder turns it. */
    public static Path rotatedJpeg(Path directory) throws IOException {
        return write(directory.resolve("f-exif6.jpg"), SampleImages.withExifOrientation(SampleImages.jpeg(
                scene(140, 100, 6, BufferedImage.TYPE_3BYTE_BGR), 90), 6));
    }

    /** A JPEG cut in half: {@code detect} skips it. */
    public static Path truncatedJpeg(Path directory) throws IOException {
        byte[] whole = SampleImages.jpeg(scene(120, 100, 7, BufferedImage.TYPE_3BYTE_BGR), 90);
        return write(directory.resolve("g-cut.jpg"), Arrays.copyOf(whole, whole.length / 2));
    }

    /** What the one-JVM detector ({@code yolofleet detect}'s loading, decoding and clipping) finds in each file, by file name. */
    public static Map<String, List<Detection>> oneJvmDetections(Path model, List<Path> images, DetectionThresholds thresholds) throws IOException {
        Map<String, List<Detection>> found = new LinkedHashMap<>();
        ImageDecoder decoder = new ImageDecoder(DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        try (Detector detector = ModelLoader.load(ModelSource.of(model))) {
            for (Path image : images) {
                RgbImage pixels = decoder.decode(Files.readAllBytes(image)).image();
                found.put(image.getFileName().toString(),
                        Detection.clipAll(detector.detect(pixels, thresholds), pixels.width(), pixels.height()));
            }
        }
        return found;
    }

    public static String fileName(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    /** Coloured rectangles and ellipses on a gradient, different for each seed. */
    private static BufferedImage scene(int width, int height, long seed, int type) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D graphics = image.createGraphics();
        for (int y = 0; y < height; y++) {
            graphics.setColor(new Color((y * 255) / height, 90, 255 - (y * 255) / height, type == BufferedImage.TYPE_4BYTE_ABGR ? 40 + y % 200 : 255));
            graphics.drawLine(0, y, width - 1, y);
        }
        for (int shape = 0; shape < 6; shape++) {
            graphics.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            int x = random.nextInt(width / 2);
            int y = random.nextInt(height / 2);
            int w = 10 + random.nextInt(width / 2);
            int h = 10 + random.nextInt(height / 2);
            if (random.nextBoolean()) {
                graphics.fillRect(x, y, w, h);
            }
            else {
                graphics.fillOval(x, y, w, h);
            }
        }
        graphics.dispose();
        return image;
    }

    private static Path write(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        return file;
    }
}

package org.yolofleet.detect;

import org.yolofleet.testing.RandomWeights;

import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.model.Activation;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.LayerSpec;
import org.yolofleet.core.model.MaxPoolLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A small Tiny-YOLOv2, reproducible random Darknet weights and real photos (BCCD blood cells) for the detect tests (and
 * the command-line tests of the jobs module, through the test jar).
 */
public final class DetectFixtures {
    /** The BCCD classes. */
    public static final List<String> BCCD_CLASSES = List.of("WBC", "RBC", "Platelets");
    /** The VOC classes, in Darknet's {@code voc.names} order. */
    public static final List<String> VOC_CLASSES = List.of("aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair",
            "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor");

    private static final String BCCD_RESOURCE = "/dataset/bccd-subset/JPEGImages";
    private static final int IMAGES = 5;

    private DetectFixtures() {}

    /**
     * Tiny-YOLOv2's layout with few filters, 224 x 224 (a 7 x 7 grid), letterboxed: five 3x3 batch-normalised leaky
     * convolutions (4, 8, 8, 16, 16 filters) each followed by a 2x2 stride-2 maxpool, a sixth (16) with Darknet's 2x2
     * stride-1 maxpool, two more (16, 16), the linear 1x1 head with bias and the region layer with the VOC anchors.
     */
    public static ModelSpec smallTinyYolo(int classes) {
        ModelSpec voc = TinyYoloV2.spec(classes, TinyYoloV2.VOC_ANCHORS, 224, 224, ResizeMode.LETTERBOX);
        List<LayerSpec> layers = new ArrayList<>();
        for (int filters : new int[] {4, 8, 8, 16, 16}) {
            layers.add(leaky(filters));
            layers.add(new MaxPoolLayer(2, 2));
        }
        layers.add(leaky(16));
        layers.add(new MaxPoolLayer(2, 1));
        layers.add(leaky(16));
        layers.add(leaky(16));
        RegionLayer region = voc.region();
        layers.add(new ConvolutionalLayer(region.outputChannels(), 1, 1, true, false, Activation.LINEAR));
        layers.add(region);
        return new ModelSpec(224, 224, 3, ResizeMode.LETTERBOX, voc.netOptions(), layers);
    }

    private static ConvolutionalLayer leaky(int filters) {
        return new ConvolutionalLayer(filters, 3, 1, true, true, Activation.LEAKY);
    }

    /**
     * Random weights of the spec's layout with non-trivial batch-norm statistics: He-scaled kernels, scales in
     * [0.5, 1.5], means N(0, 0.3), variances in [0.25, 2] and shifts N(0, 0.2), so every layer's normalisation matters
     * and the activations stay of ordinary size through the whole network.
     */
    public static DarknetWeights randomWeights(ModelSpec spec, long seed) {
        return DarknetWeights.of(64_000, RandomWeights.ordinary(spec, seed));
    }

    /** Five BCCD photos (640 x 480 JPEG), the first of the test resources' subset. */
    public static List<Path> bccdImages() {
        Path directory = bccdDirectory();
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> images = files.filter(file -> file.getFileName().toString().endsWith(".jpg")).sorted().limit(IMAGES).toList();
            if (images.size() < IMAGES) {
                throw new IllegalStateException("expected at least " + IMAGES + " BCCD images in " + directory + ", found " + images.size());
            }
            return images;
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot list the BCCD images in " + directory, e);
        }
    }

    private static Path bccdDirectory() {
        URL resource = DetectFixtures.class.getResource(BCCD_RESOURCE);
        if (resource == null || !resource.getProtocol().equals("file")) {
            throw new IllegalStateException("no BCCD images: the test resource " + BCCD_RESOURCE + " is not a directory (" + resource + ")");
        }
        try {
            return Path.of(resource.toURI());
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

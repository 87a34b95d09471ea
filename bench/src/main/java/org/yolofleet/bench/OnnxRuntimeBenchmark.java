package org.yolofleet.bench;

import ai.onnxruntime.OrtEnvironment;
import org.yolofleet.core.darknet.ConvolutionalLayout;
import org.yolofleet.core.darknet.ConvolutionalWeights;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.darknet.DarknetWeightsLayout;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.detect.OnnxRuntimeDetector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * ONNX Runtime's forward pass of our export ({@code OnnxExporter}, batch norm folded), what the Raspberry Pis run:
 * milliseconds per image, the median of timed iterations after untimed warm-up ones, as {@link ModelBenchmark} times
 * DL4J. The export's input is one image ({@code [1, 3, H, W]}), so an iteration of a batch runs its images one after
 * the other; ORT uses one intra-op thread per core, like ND4J in the fast configuration. Weights are random (speed does
 * not depend on them).
 *
 * <pre>{@code
 * double millis = OnnxRuntimeBenchmark.forwardMillisPerImage(TinyYoloV2.voc(), warmup, iterations, batch);
 * }</pre>
 * or alone: {@code java ... org.yolofleet.bench.OnnxRuntimeBenchmark [--size 416] [--classes 20] [--batch 8]
 * [--warmup 4] [--iterations 5]}.
 */
public final class OnnxRuntimeBenchmark {
    private OnnxRuntimeBenchmark() {}

    /** The median ms/image of {@code spec}'s export with random weights; progress on stderr. */
    public static double forwardMillisPerImage(ModelSpec spec, int warmup, int iterations, int batch) {
        return forwardMillisPerImage(spec, randomWeights(spec, 1), warmup, iterations, batch);
    }

    /** The median ms/image of the export of {@code spec} with {@code weights}; progress on stderr. */
    public static double forwardMillisPerImage(ModelSpec spec, DarknetWeights weights, int warmup, int iterations, int batch) {
        if (warmup < 0 || iterations < 1 || batch < 1) {
            throw new IllegalArgumentException("warm-up must be at least 0, iterations and batch at least 1");
        }
        List<String> classNames = IntStream.range(0, spec.classCount()).mapToObj(index -> "class_" + index).toList();
        byte[] model = OnnxExporter.withDefaults().export(spec, weights.layers(), classNames, "benchmark");
        Random random = new Random(1);
        List<float[]> images = new ArrayList<>();
        for (int image = 0; image < batch; image++) {
            float[] pixels = new float[3 * spec.width() * spec.height()];
            for (int index = 0; index < pixels.length; index++) {
                pixels[index] = random.nextFloat();
            }
            images.add(pixels);
        }
        int threads = Runtime.getRuntime().availableProcessors();
        double[] timed = new double[iterations];
        try (OnnxRuntimeDetector detector = OnnxRuntimeDetector.open(model, "benchmark.onnx", Optional.empty(), threads)) {
            for (int index = 0; index < warmup + iterations; index++) {
                long start = System.nanoTime();
                for (float[] image : images) {
                    detector.rawOutput(image);
                }
                double millisPerImage = (System.nanoTime() - start) / 1e6 / batch;
                boolean warmupIteration = index < warmup;
                if (!warmupIteration) {
                    timed[index - warmup] = millisPerImage;
                }
                System.err.printf(Locale.ROOT, "  ONNX Runtime forward %d/%d%s: %.1f ms/image (%d threads)%n", index + 1, warmup + iterations,
                        warmupIteration ? " (warm-up)" : "", millisPerImage, threads);
            }
        }
        Arrays.sort(timed);
        return timed.length % 2 == 1 ? timed[timed.length / 2] : (timed[timed.length / 2 - 1] + timed[timed.length / 2]) / 2;
    }

    /** He-scaled kernels and batch-norm statistics of ordinary size, reproducible from the seed. */
    static DarknetWeights randomWeights(ModelSpec spec, long seed) {
        Random random = new Random(seed);
        List<ConvolutionalWeights> layers = new ArrayList<>();
        for (ConvolutionalLayout layout : DarknetWeightsLayout.of(spec).layers()) {
            int filters = layout.layer().filters();
            int size = layout.layer().size();
            float[] kernel = gaussian(random, Math.toIntExact(layout.weightCount()), Math.sqrt(2.0 / (layout.inputChannels() * size * size)));
            float[] biases = gaussian(random, filters, 0.1);
            if (!layout.layer().batchNormalize()) {
                layers.add(ConvolutionalWeights.withoutBatchNormalization(biases, kernel));
                continue;
            }
            float[] scales = new float[filters];
            float[] variances = new float[filters];
            for (int filter = 0; filter < filters; filter++) {
                scales[filter] = (float) (0.5 + random.nextDouble());
                variances[filter] = (float) (0.5 + 1.5 * random.nextDouble());
            }
            layers.add(ConvolutionalWeights.withBatchNormalization(biases, scales, gaussian(random, filters, 0.1), variances, kernel));
        }
        return DarknetWeights.of(0, layers);
    }

    private static float[] gaussian(Random random, int count, double deviation) {
        float[] values = new float[count];
        for (int index = 0; index < count; index++) {
            values[index] = (float) (random.nextGaussian() * deviation);
        }
        return values;
    }

    public static void main(String[] arguments) {
        int size = 416;
        int classes = 20;
        int batch = 8;
        int warmup = 4;
        int iterations = 5;
        for (int index = 0; index < arguments.length; index += 2) {
            if (index + 1 >= arguments.length) {
                throw new IllegalArgumentException("usage: OnnxRuntimeBenchmark [--size 416] [--classes 20] [--batch 8] [--warmup 4] [--iterations 5]");
            }
            int value = Integer.parseInt(arguments[index + 1]);
            switch (arguments[index]) {
                case "--size" -> size = value;
                case "--classes" -> classes = value;
                case "--batch" -> batch = value;
                case "--warmup" -> warmup = value;
                case "--iterations" -> iterations = value;
                default -> throw new IllegalArgumentException("unknown argument " + arguments[index]);
            }
        }
        ModelSpec spec = TinyYoloV2.voc().withClasses(classes).withInputSize(size, size);
        double millis = forwardMillisPerImage(spec, warmup, iterations, batch);
        System.out.printf(Locale.ROOT, "ONNX Runtime %s forward of our export, Tiny-YOLOv2 %dx%d, %d classes, %d threads: %.1f ms/image"
                        + " (median of %d iterations of %d images, after %d warm-up)%n", OrtEnvironment.getEnvironment().getVersion(),
                size, size, classes, Runtime.getRuntime().availableProcessors(), millis, iterations, batch, warmup);
    }
}

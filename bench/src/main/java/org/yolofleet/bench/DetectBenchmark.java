package org.yolofleet.bench;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.DetectionJsonLine;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.image.ImagePreprocessor;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.core.image.NetworkInput;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.detect.DetectRequest;
import org.yolofleet.detect.DetectRun;
import org.yolofleet.detect.DetectSummary;
import org.yolofleet.detect.DetectionRenderer;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.Dl4jDetector;
import org.yolofleet.detect.OnnxRuntimeDetector;
import org.yolofleet.model.DarknetWeightsImporter;
import org.yolofleet.model.Nd4jRuntime;
import org.yolofleet.model.TinyYoloGraphBuilder;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * {@code yolofleet detect} end to end against the bare runtime, in one run: images per second of a bare loop of the
 * runtime's forward pass over tensors decoded beforehand (the baseline), of {@link DetectRun} over the same JPEG files
 * (read, decode, letterbox, forward, region decode, JSON lines, annotated copies written: the pipeline), and of the
 * single-threaded loop it replaced, for the ONNX export in ONNX Runtime and for the DL4J network, at 1 and at all
 * intra-op threads. Prints the ratio end-to-end / baseline (target at least 0.9). The model is Tiny-YOLOv2 at 416 px
 * with 3 classes (the demo's BCCD model) and random weights (speed does not depend on them); the images are generated
 * BCCD-like 640 x 480 JPEGs (blood-cell blobs on a pale background). Each measure runs {@code --rounds} times,
 * interleaved with the others, and the best round counts (the machine may be shared).
 *
 * <pre>{@code bench/run detect [--images 200] [--rounds 2] [--dl4j-images 48]}</pre>
 */
public final class DetectBenchmark {
    private static final String USAGE = "bench/run detect [--images 200] [--rounds 2] [--dl4j-images 48]";
    private static final int SIZE = 416;
    private static final List<String> CLASSES = List.of("WBC", "RBC", "Platelets");
    private static final DetectionThresholds THRESHOLDS = new DetectionThresholds(0.25, 0.45);
    private static final int WARMUP_IMAGES = 8;

    private DetectBenchmark() {}

    public static void main(String[] arguments) throws IOException {
        Map<String, String> options = BenchmarkSupport.options(arguments, USAGE);
        Path results = Path.of(options.getOrDefault("results", "bench/results"));
        int imageCount = Integer.parseInt(options.getOrDefault("images", "200"));
        int dl4jImageCount = Integer.parseInt(options.getOrDefault("dl4j-images", "48"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
        Instant started = Instant.now();
        int processors = Runtime.getRuntime().availableProcessors();
        Path work = Files.createTempDirectory("yolofleet-detect-bench");
        try {
            Path images = Files.createDirectories(work.resolve("images"));
            List<Path> files = generateImages(images, imageCount);
            ModelSpec spec = TinyYoloV2.voc().withClasses(CLASSES.size()).withInputSize(SIZE, SIZE);
            DarknetWeights weights = OnnxRuntimeBenchmark.randomWeights(spec, 7);
            byte[] onnx = OnnxExporter.withDefaults().export(spec, weights.layers(), CLASSES, "benchmark");
            List<String> report = new ArrayList<>();
            report.add("# bench/run detect: detect end to end vs the bare runtime, one run");
            report.add(String.format(Locale.ROOT, "date %s; %d processors seen by the JVM, SHARED with other work (load average at start %s);"
                    + " java %s", started, processors, BenchmarkSupport.loadAverage(), System.getProperty("java.version")));
            report.add(String.format(Locale.ROOT, "model: Tiny-YOLOv2 %dx%d, %d classes, random weights; images: %d generated BCCD-like 640x480 JPEGs"
                    + " (%d for DL4J); best of %d interleaved rounds", SIZE, SIZE, CLASSES.size(), imageCount, dl4jImageCount, rounds));
            report.add("baseline: the runtime's forward pass alone over tensors decoded beforehand;"
                    + " end to end: DetectRun (JSON lines + annotated JPEGs written), decode threads = " + DetectRun.defaultDecodeThreads()
                    + "; sequential: the one-thread loop DetectRun had before the pipeline");
            report.add("");
            report.add(String.format(Locale.ROOT, "%-12s %7s %5s %15s %15s %15s %7s %9s", "runtime", "threads", "batch",
                    "baseline img/s", "pipeline img/s", "sequent. img/s", "ratio", "seq.ratio"));
            List<Integer> threadCounts = processors > 1 ? List.of(1, processors) : List.of(1);
            for (int threads : threadCounts) {
                try (OnnxRuntimeDetector detector = OnnxRuntimeDetector.open(onnx, "benchmark.onnx", Optional.empty(), threads)) {
                    report.add(measure("ONNX Runtime", threads, detector, files, work, rounds));
                }
                progress(report, results);
            }
            List<Path> dl4jFiles = files.subList(0, Math.min(dl4jImageCount, files.size()));
            for (int threads : threadCounts) {
                Nd4jRuntime.applyFastConfiguration(threads);
                ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();
                DarknetWeightsImporter.importAll(weights, spec, network);
                try (Dl4jDetector detector = new Dl4jDetector(network, spec, CLASSES, "benchmark.zip")) {
                    report.add(measure("DL4J", threads, detector, dl4jFiles, work, rounds));
                    progress(report, results);
                    if (threads == processors) {
                        report.add(measure("DL4J", threads, detector.withMaxBatch(1), dl4jFiles, work, rounds));
                        progress(report, results);
                    }
                }
            }
            report.add("");
            report.add("(n.n) = cores busy: the process's CPU time / wall time during that measure (2 = both cores of this machine).");
            report.add("ratio = pipeline / baseline (target >= 0.9); seq.ratio = sequential / baseline. Batch: images per forward pass"
                    + " (the ONNX export's input is fixed at [1, 3, 416, 416]; DL4J takes any batch; the baseline runs the same batch).");
            report.add(String.format(Locale.ROOT, "wall time %.0f s; peak resident %s", BenchmarkSupport.seconds(started),
                    BenchmarkSupport.peakResident("whole run")));
            String text = String.join("\n", report) + "\n";
            System.out.print(text);
            Files.createDirectories(results);
            Files.writeString(results.resolve("detect.txt"), text, StandardCharsets.UTF_8);
        }
        finally {
            BenchmarkSupport.deleteTree(work);
        }
    }

    /** Prints the newest row and writes what there is so far, so a run cut short still leaves its rows. */
    private static void progress(List<String> report, Path results) throws IOException {
        System.err.println(report.get(report.size() - 1));
        Files.createDirectories(results);
        Files.writeString(results.resolve("detect.txt"), String.join("\n", report) + "\n(incomplete: the run did not finish)\n",
                StandardCharsets.UTF_8);
    }

    private static String measure(String runtime, int threads, Detector detector, List<Path> files, Path work, int rounds) throws IOException {
        ImagePreprocessor preprocessor = detector.model().preprocessor();
        ImageDecoder decoder = new ImageDecoder(DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        List<float[]> tensors = new ArrayList<>();
        for (Path file : files) {
            tensors.add(preprocessor.preprocess(decoder.decode(Files.readAllBytes(file)).image()).pixels());
        }
        Path input = Files.createDirectories(work.resolve("input-" + files.size()));
        for (Path file : files) {
            Path link = input.resolve(file.getFileName());
            if (!Files.exists(link)) {
                Files.copy(file, link);
            }
        }
        baseline(detector, tensors.subList(0, Math.min(WARMUP_IMAGES, tensors.size())));
        Path warmInput = Files.createDirectories(work.resolve("warm-up-" + files.size()));
        for (Path file : files.subList(0, Math.min(WARMUP_IMAGES, files.size()))) {
            Path copy = warmInput.resolve(file.getFileName());
            if (!Files.exists(copy)) {
                Files.copy(file, copy);
            }
        }
        int warmCount = Math.min(WARMUP_IMAGES, files.size());
        String tag = runtime.charAt(0) + "" + threads + "-" + detector.maxBatch();
        pipeline(detector, warmInput, work.resolve("warm-out-" + tag), warmCount);
        sequential(detector, files.subList(0, warmCount), work.resolve("warm-seq-" + tag));
        Rate best = new Rate(0, 0);
        Rate bestPipeline = new Rate(0, 0);
        Rate bestSequential = new Rate(0, 0);
        for (int round = 0; round < rounds; round++) {
            best = best.better(timed(tensors.size(), () -> baseline(detector, tensors)));
            Path output = work.resolve("out-" + tag + "-" + round);
            bestPipeline = bestPipeline.better(timed(files.size(), () -> pipeline(detector, input, output, files.size())));
            Path sequentialOutput = work.resolve("seq-" + tag + "-" + round);
            bestSequential = bestSequential.better(timed(files.size(), () -> sequential(detector, files, sequentialOutput)));
            System.err.printf(Locale.ROOT, "  %s %d threads batch %d round %d: baseline %s, pipeline %s, sequential %s%n",
                    runtime, threads, detector.maxBatch(), round + 1, best, bestPipeline, bestSequential);
        }
        return String.format(Locale.ROOT, "%-12s %7d %5d %9.2f (%3.1f) %9.2f (%3.1f) %9.2f (%3.1f) %6.2fx %8.2fx", runtime, threads,
                detector.maxBatch(), best.imagesPerSecond, best.coresBusy, bestPipeline.imagesPerSecond, bestPipeline.coresBusy,
                bestSequential.imagesPerSecond, bestSequential.coresBusy, bestPipeline.imagesPerSecond / best.imagesPerSecond,
                bestSequential.imagesPerSecond / best.imagesPerSecond);
    }

    /** Images per second, and the process's CPU time over the wall time (how many cores it kept busy). */
    private record Rate(double imagesPerSecond, double coresBusy) {
        Rate better(Rate other) {
            return other.imagesPerSecond > imagesPerSecond ? other : this;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2f img/s on %.2f cores", imagesPerSecond, coresBusy);
        }
    }

    private interface Measured {
        void run() throws IOException;
    }

    private static Rate timed(int images, Measured measured) throws IOException {
        com.sun.management.OperatingSystemMXBean system =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = system.getProcessCpuTime();
        long start = System.nanoTime();
        measured.run();
        long wall = System.nanoTime() - start;
        return new Rate(images / (wall / 1e9), (system.getProcessCpuTime() - cpuStart) / (double) wall);
    }

    /** The bare runtime: forward passes over decoded tensors, {@link Detector#maxBatch()} at a time; images per second. */
    private static double baseline(Detector detector, List<float[]> tensors) {
        int batch = detector.maxBatch();
        long start = System.nanoTime();
        for (int from = 0; from < tensors.size(); from += batch) {
            detector.rawOutputs(tensors.subList(from, Math.min(tensors.size(), from + batch)).toArray(float[][]::new));
        }
        return tensors.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double pipeline(Detector detector, Path input, Path output, int count) {
        DetectRequest request = new DetectRequest(List.of(input.toString()), THRESHOLDS, Optional.of(output.toString()),
                DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        PrintStream discard = new PrintStream(PrintStream.nullOutputStream());
        long start = System.nanoTime();
        DetectSummary summary = new DetectRun(detector, request, new Configuration()).run(discard, discard);
        double rate = count / ((System.nanoTime() - start) / 1e9);
        if (summary.detectedImages() != count) {
            throw new IllegalStateException("detect ran " + summary.detectedImages() + " of " + count + " images: " + summary.failures());
        }
        return rate;
    }

    /** The loop DetectRun ran before its pipeline: everything on one thread, image after image. */
    private static double sequential(Detector detector, List<Path> files, Path output) throws IOException {
        Files.createDirectories(output);
        ImageDecoder decoder = new ImageDecoder(DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        ImagePreprocessor preprocessor = detector.model().preprocessor();
        long start = System.nanoTime();
        try (Writer lines = Files.newBufferedWriter(output.resolve(DetectRun.DETECTIONS_FILE))) {
            for (Path file : files) {
                RgbImage pixels = decoder.decode(Files.readAllBytes(file)).image();
                NetworkInput tensor = preprocessor.preprocess(pixels);
                float[] raw = detector.rawOutput(tensor.pixels());
                List<Detection> detections = Detection.clipAll(detector.model().decoder().detect(raw, tensor.letterbox(),
                        THRESHOLDS.score(), THRESHOLDS.suppression()), pixels.width(), pixels.height());
                for (Detection detection : detections) {
                    lines.write(DetectionJsonLine.of(file.toString(), detector.model().className(detection.classId()), detection));
                    lines.write('\n');
                }
                lines.flush();
                BufferedImage drawn = DetectionRenderer.render(pixels, detections, detector.model().classNames());
                Files.write(output.resolve(file.getFileName()), JpegCodec.encode(RgbImage.of(drawn), 92));
            }
        }
        return files.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** BCCD-like photos: a pale pink field with red cells, a few purple white cells and small platelets, JPEG. */
    private static List<Path> generateImages(Path directory, int count) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int index : IntStream.range(0, count).toArray()) {
            Random random = new Random(index);
            BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
            Graphics2D graphics = image.createGraphics();
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.setColor(new Color(232 + random.nextInt(16), 214 + random.nextInt(20), 210 + random.nextInt(20)));
            graphics.fillRect(0, 0, 640, 480);
            for (int cell = 0; cell < 25 + random.nextInt(20); cell++) {
                int size = 50 + random.nextInt(40);
                graphics.setColor(new Color(200 + random.nextInt(40), 90 + random.nextInt(50), 100 + random.nextInt(50)));
                graphics.fillOval(random.nextInt(640) - size / 2, random.nextInt(480) - size / 2, size, size + random.nextInt(10) - 5);
            }
            for (int cell = 0; cell < 1 + random.nextInt(2); cell++) {
                int size = 90 + random.nextInt(50);
                graphics.setColor(new Color(110 + random.nextInt(40), 60 + random.nextInt(30), 160 + random.nextInt(50)));
                graphics.fillOval(random.nextInt(560), random.nextInt(400), size, size);
            }
            for (int platelet = 0; platelet < random.nextInt(4); platelet++) {
                graphics.setColor(new Color(120, 80, 170));
                graphics.fillOval(random.nextInt(620), random.nextInt(460), 12 + random.nextInt(10), 12 + random.nextInt(10));
            }
            graphics.dispose();
            for (int noise = 0; noise < 4000; noise++) {
                int x = random.nextInt(640);
                int y = random.nextInt(480);
                int rgb = image.getRGB(x, y);
                int shift = random.nextInt(21) - 10;
                int red = Math.max(0, Math.min(255, ((rgb >> 16) & 0xff) + shift));
                int green = Math.max(0, Math.min(255, ((rgb >> 8) & 0xff) + shift));
                int blue = Math.max(0, Math.min(255, (rgb & 0xff) + shift));
                image.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
            Path file = directory.resolve(String.format(Locale.ROOT, "BloodImage_%05d.jpg", index));
            Files.write(file, JpegCodec.encode(RgbImage.of(image), 90));
            files.add(file);
        }
        return files;
    }
}

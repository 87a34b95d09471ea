package org.yolofleet.bench;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.model.EncodedLabels;
import org.yolofleet.model.FastRuntimeSettings;
import org.yolofleet.model.LabelledNetworkBox;
import org.yolofleet.model.Nd4jRuntime;
import org.yolofleet.model.RuntimeReport;
import org.yolofleet.model.TinyYoloGraphBuilder;
import org.yolofleet.model.YoloLabelEncoder;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * DL4J speed of Tiny-YOLOv2 (VOC: 416 x 416, 20 classes) at batch 8: forward and training-step milliseconds per image
 * with DL4J's out-of-the-box configuration and with our fast configuration ({@link Nd4jRuntime}), each in its own child
 * JVM, and the ratio fast/default. Writes {@code model.txt} to the results directory.
 *
 * <ul>
 *   <li>default: the plain {@code linux-x86_64} libnd4j (the oneDNN jar taken off the child's classpath), DL4J's
 *       helpers disabled as M2 ships, ND4J's own OpenMP thread count, glibc malloc, {@code CacheMode.NONE};</li>
 *   <li>fast: the {@code nd4j.classifier} build (oneDNN, AVX-512 here), oneDNN helpers, OpenMP threads = cores,
 *       jemalloc preloaded with decay off ({@link FastRuntimeSettings}), {@code CacheMode.DEVICE}.</li>
 * </ul>
 * Warm-up iterations are run and not timed. {@code --ablation} adds one child per measure: fast without it.
 *
 * <pre>{@code bench/run model [--warmup 4] [--iterations 5] [--batch 8] [--ablation]}</pre>
 */
public final class ModelBenchmark {
    private static final String ONEDNN_JAR_MARKER = "-onednn";

    private ModelBenchmark() {}

    /** One way of running DL4J; {@link #FAST} minus one measure for the ablation runs. */
    enum Configuration {
        DEFAULT("DL4J M2 as shipped"),
        FAST("all five measures"),
        FAST_WITHOUT_ONEDNN_BUILD("fast, plain libnd4j build"),
        FAST_WITHOUT_HELPERS("fast, DL4J helpers off"),
        FAST_WITHOUT_THREADS("fast, ND4J's own thread count"),
        FAST_WITHOUT_JEMALLOC("fast, glibc malloc"),
        FAST_WITHOUT_DEVICE_CACHE("fast, CacheMode.NONE");

        private final String description;

        Configuration(String description) {
            this.description = description;
        }

        boolean oneDnnBuild() {
            return this != DEFAULT && this != FAST_WITHOUT_ONEDNN_BUILD;
        }

        boolean helpers() {
            return this != DEFAULT && this != FAST_WITHOUT_HELPERS;
        }

        boolean threads() {
            return this != DEFAULT && this != FAST_WITHOUT_THREADS;
        }

        boolean jemalloc() {
            return this != DEFAULT && this != FAST_WITHOUT_JEMALLOC;
        }

        CacheMode cacheMode() {
            return this == DEFAULT || this == FAST_WITHOUT_DEVICE_CACHE ? CacheMode.NONE : CacheMode.DEVICE;
        }
    }

    /** What one child measured, milliseconds per image. */
    record Measurement(Configuration configuration, double forwardMillisPerImage, double trainingMillisPerImage, String runtime) {}

    record Options(Path results, int batch, int size, int classes, int warmup, int iterations, boolean ablation) {
        static Options parse(String[] arguments) {
            Map<String, String> values = new LinkedHashMap<>();
            boolean ablation = false;
            for (int index = 0; index < arguments.length; index++) {
                String argument = arguments[index];
                if (argument.equals("--ablation")) {
                    ablation = true;
                }
                else if (argument.equals("--help")) {
                    System.out.println("usage: bench/run model [--warmup 4] [--iterations 5] [--batch 8] [--size 416] [--classes 20] [--ablation]");
                    System.exit(0);
                }
                else if (argument.startsWith("--") && index + 1 < arguments.length) {
                    values.put(argument.substring(2), arguments[++index]);
                }
                else {
                    throw new IllegalArgumentException("unknown argument " + argument + "; see --help");
                }
            }
            Options options = new Options(Path.of(values.getOrDefault("results", "bench/results")),
                    Integer.parseInt(values.getOrDefault("batch", "8")),
                    Integer.parseInt(values.getOrDefault("size", "416")),
                    Integer.parseInt(values.getOrDefault("classes", "20")),
                    Integer.parseInt(values.getOrDefault("warmup", "4")),
                    Integer.parseInt(values.getOrDefault("iterations", "5")),
                    ablation);
            if (options.batch < 1 || options.warmup < 0 || options.iterations < 1) {
                throw new IllegalArgumentException("batch and iterations must be at least 1, warm-up at least 0");
            }
            return options;
        }

        List<String> childArguments() {
            return List.of("--batch", Integer.toString(batch), "--size", Integer.toString(size), "--classes", Integer.toString(classes),
                    "--warmup", Integer.toString(warmup), "--iterations", Integer.toString(iterations));
        }
    }

    public static void main(String[] arguments) throws Exception {
        if (arguments.length >= 3 && arguments[0].equals("--child")) {
            runChild(Configuration.valueOf(arguments[1]), Path.of(arguments[2]), Options.parse(Arrays.copyOfRange(arguments, 3, arguments.length)));
            return;
        }
        Options options = Options.parse(arguments);
        List<Configuration> configurations = new ArrayList<>(List.of(Configuration.DEFAULT, Configuration.FAST));
        if (options.ablation) {
            configurations.addAll(List.of(Configuration.FAST_WITHOUT_ONEDNN_BUILD, Configuration.FAST_WITHOUT_HELPERS,
                    Configuration.FAST_WITHOUT_THREADS, Configuration.FAST_WITHOUT_JEMALLOC, Configuration.FAST_WITHOUT_DEVICE_CACHE));
        }
        Instant start = Instant.now();
        String loadBefore = loadAverage();
        List<Measurement> measurements = new ArrayList<>();
        for (int index = 0; index < configurations.size(); index++) {
            Configuration configuration = configurations.get(index);
            System.err.printf(Locale.ROOT, "[%d/%d] %s (%s), %s elapsed%n", index + 1, configurations.size(), configuration,
                    configuration.description, Duration.between(start, Instant.now()).truncatedTo(ChronoUnit.SECONDS));
            measurements.add(runInChildJvm(configuration, options));
        }
        Optional<Double> onnxRuntime = measureOnnxRuntimeForward(options);
        String summary = summary(options, measurements, onnxRuntime, Duration.between(start, Instant.now()), loadBefore);
        System.out.println(summary);
        Files.createDirectories(options.results);
        Files.writeString(options.results.resolve("model.txt"), summary, StandardCharsets.UTF_8);
    }

    /**
     * The ONNX Runtime forward pass of our export, milliseconds per image at the same batch and input size:
     * {@code TinyYoloV2.voc()} with random weights through the ONNX exporter, run in ONNX Runtime (warm-up excluded);
     * {@link #summary} prints it with its ratio to DL4J fast.
     */
    static Optional<Double> measureOnnxRuntimeForward(Options options) {
        ModelSpec spec = TinyYoloV2.voc().withClasses(options.classes).withInputSize(options.size, options.size);
        return Optional.of(OnnxRuntimeBenchmark.forwardMillisPerImage(spec, options.warmup, options.iterations, options.batch));
    }

    private static Measurement runInChildJvm(Configuration configuration, Options options) throws IOException, InterruptedException {
        Path output = Files.createTempFile("model-benchmark-" + configuration.name().toLowerCase(Locale.ROOT), ".properties");
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(argument -> !argument.startsWith("-agentlib") && !argument.startsWith("-javaagent")
                            && !argument.startsWith("-D" + Nd4jRuntime.HELPERS_DISABLE_PROPERTY + "=")
                            && !argument.startsWith("-D" + Nd4jRuntime.THREADS_PROPERTY + "="))
                    .toList());
            FastRuntimeSettings fast = FastRuntimeSettings.defaults();
            if (configuration.helpers()) {
                command.add("-D" + Nd4jRuntime.HELPERS_DISABLE_PROPERTY + "=false");
            }
            command.add("-cp");
            command.add(childClasspath(configuration));
            command.add(ModelBenchmark.class.getName());
            command.addAll(List.of("--child", configuration.name(), output.toString()));
            command.addAll(options.childArguments());
            ProcessBuilder process = new ProcessBuilder(command).inheritIO();
            process.environment().remove("LD_PRELOAD");
            process.environment().remove("MALLOC_CONF");
            if (configuration.jemalloc()) {
                String library = jemallocLibrary().orElseThrow(() -> new IllegalStateException("no jemalloc: neither in LD_PRELOAD "
                        + "(bench/run preloads the machine's or the build's target/native/libjemalloc.so.2) nor at "
                        + FastRuntimeSettings.DEBIAN_JEMALLOC + "; build once online or apt-get install -y libjemalloc2"));
                process.environment().putAll(fast.withJemallocLibrary(library).environment());
            }
            int exit = process.start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException(configuration + " child JVM exited with " + exit);
            }
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(output)) {
                properties.load(reader);
            }
            return new Measurement(configuration, Double.parseDouble(properties.getProperty("forward")),
                    Double.parseDouble(properties.getProperty("training")), properties.getProperty("runtime"));
        }
        finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * The jemalloc the fast children preload: the one this JVM was started with ({@code bench/run} preloads the machine's
     * {@code libjemalloc2} or the copy the build brought, {@code target/native/libjemalloc.so.2}), else Debian's path when
     * installed.
     */
    static Optional<String> jemallocLibrary() {
        Optional<String> preloaded = Stream.of(Optional.ofNullable(System.getenv("LD_PRELOAD")).orElse("").split("[: ]"))
                .filter(entry -> Path.of(entry).getFileName() != null && Path.of(entry).getFileName().toString().startsWith("libjemalloc"))
                .filter(entry -> Files.isRegularFile(Path.of(entry)))
                .findFirst();
        return preloaded.or(() -> Files.isRegularFile(Path.of(FastRuntimeSettings.DEBIAN_JEMALLOC))
                ? Optional.of(FastRuntimeSettings.DEBIAN_JEMALLOC) : Optional.empty());
    }

    /** This JVM's classpath; without the oneDNN libnd4j jars when the configuration runs the plain build. */
    private static String childClasspath(Configuration configuration) {
        String classpath = System.getProperty("java.class.path");
        if (configuration.oneDnnBuild()) {
            return classpath;
        }
        List<String> entries = Stream.of(classpath.split(File.pathSeparator))
                .filter(entry -> !(Path.of(entry).getFileName().toString().startsWith("nd4j-native-") && entry.contains(ONEDNN_JAR_MARKER)))
                .toList();
        return String.join(File.pathSeparator, entries);
    }

    private static void runChild(Configuration configuration, Path output, Options options) throws IOException {
        if (configuration.helpers() && configuration.threads()) {
            Nd4jRuntime.applyFastConfiguration();
        }
        else {
            if (configuration.helpers()) {
                System.setProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY, "false");
            }
            if (configuration.threads()) {
                Nd4jRuntime.setOmpThreads(Nd4jRuntime.configuredThreads());
            }
        }
        ModelSpec spec = TinyYoloV2.voc().withClasses(options.classes).withInputSize(options.size, options.size);
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).cacheMode(configuration.cacheMode()).fastRuntime(false).build();
        RuntimeReport report = Nd4jRuntime.report(network);
        System.err.println(configuration + ":\n" + report.toText());

        Random random = new Random(1);
        float[] pixels = new float[options.batch * 3 * options.size * options.size];
        for (int index = 0; index < pixels.length; index++) {
            pixels[index] = random.nextFloat();
        }
        INDArray images = Nd4j.create(pixels, new long[] {options.batch, 3, options.size, options.size}, 'c');
        List<List<LabelledNetworkBox>> objects = new ArrayList<>();
        for (int image = 0; image < options.batch; image++) {
            List<LabelledNetworkBox> boxes = new ArrayList<>();
            for (int object = 0; object < 3; object++) {
                double width = 0.05 + 0.4 * random.nextDouble();
                double height = 0.05 + 0.4 * random.nextDouble();
                double x = random.nextDouble() * (1 - width);
                double y = random.nextDouble() * (1 - height);
                boxes.add(new LabelledNetworkBox(random.nextInt(options.classes), new BoundingBox(x, y, x + width, y + height)));
            }
            objects.add(boxes);
        }
        EncodedLabels labels = YoloLabelEncoder.forSpec(spec).encode(objects);
        MultiDataSet batch = new MultiDataSet(images, labels.labels());

        double forward = timePerImage(configuration + " forward", options, () -> network.outputSingle(false, images));
        double training = timePerImage(configuration + " training step", options, () -> network.fit(batch));
        Properties properties = new Properties();
        properties.setProperty("forward", Double.toString(forward));
        properties.setProperty("training", Double.toString(training));
        properties.setProperty("runtime", report.toText());
        try (Writer writer = Files.newBufferedWriter(output)) {
            properties.store(writer, configuration.name());
        }
    }

    /**
     * The median milliseconds per image of the timed iterations, after the untimed warm-up ones (DL4J's workspaces size
     * themselves over the first training steps, which take several times longer); progress on stderr.
     */
    private static double timePerImage(String name, Options options, Runnable iteration) {
        int total = options.warmup + options.iterations;
        double[] timed = new double[options.iterations];
        for (int index = 0; index < total; index++) {
            long start = System.nanoTime();
            iteration.run();
            double millisPerImage = (System.nanoTime() - start) / 1e6 / options.batch;
            boolean warmup = index < options.warmup;
            if (!warmup) {
                timed[index - options.warmup] = millisPerImage;
            }
            System.err.printf(Locale.ROOT, "  %s %d/%d%s: %.0f ms/image%n", name, index + 1, total, warmup ? " (warm-up)" : "", millisPerImage);
        }
        Arrays.sort(timed);
        return timed.length % 2 == 1 ? timed[timed.length / 2] : (timed[timed.length / 2 - 1] + timed[timed.length / 2]) / 2;
    }

    static String summary(Options options, List<Measurement> measurements, Optional<Double> onnxRuntime, Duration elapsed, String loadBefore) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Tiny-YOLOv2 (yolov2-tiny-voc) in DL4J 1.0.0-M2: %dx%d input, batch %d, %d classes; "
                        + "%d warm-up + %d timed iterations per measure (median), each configuration in its own JVM%n",
                options.size, options.size, options.batch, options.classes, options.warmup, options.iterations));
        text.append(String.format(Locale.ROOT, "machine: %s, %d cores, shared with other builds and benchmarks (compare within this run); %s; run took %s; load average before %s, after %s%n%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), Instant.now().truncatedTo(ChronoUnit.SECONDS),
                elapsed.truncatedTo(ChronoUnit.SECONDS), loadBefore, loadAverage()));
        text.append(String.format(Locale.ROOT, "%-27s %-36s %18s %24s%n", "configuration", "", "forward ms/image", "training step ms/image"));
        for (Measurement measurement : measurements) {
            text.append(String.format(Locale.ROOT, "%-27s %-36s %18.1f %24.1f%n", measurement.configuration().name().toLowerCase(Locale.ROOT),
                    "(" + measurement.configuration().description + ")", measurement.forwardMillisPerImage(), measurement.trainingMillisPerImage()));
        }
        Measurement base = find(measurements, Configuration.DEFAULT);
        Measurement fast = find(measurements, Configuration.FAST);
        double forwardRatio = base.forwardMillisPerImage() / fast.forwardMillisPerImage();
        double trainingRatio = base.trainingMillisPerImage() / fast.trainingMillisPerImage();
        text.append(String.format(Locale.ROOT, "%nspeed-up fast/default: forward %.2fx, training step %.2fx (target: training >= 3.5x: %s)%n",
                forwardRatio, trainingRatio, trainingRatio >= 3.5 ? "met" : "NOT met"));
        for (Measurement measurement : measurements) {
            if (measurement.configuration() != Configuration.DEFAULT && measurement.configuration() != Configuration.FAST) {
                text.append(String.format(Locale.ROOT, "  %-27s costs %.2fx forward, %.2fx training step against fast%n",
                        measurement.configuration().name().toLowerCase(Locale.ROOT),
                        measurement.forwardMillisPerImage() / fast.forwardMillisPerImage(),
                        measurement.trainingMillisPerImage() / fast.trainingMillisPerImage()));
            }
        }
        measurements.stream().filter(measurement -> measurement.configuration() == Configuration.FAST_WITHOUT_JEMALLOC).findFirst()
                .ifPresent(glibc -> text.append(String.format(Locale.ROOT, "allocator: jemalloc (%s, decay off) against glibc malloc: training "
                                + "step %.1f against %.1f ms/image (glibc %.2fx slower), forward %.1f against %.1f (%.2fx)%n",
                        jemallocLibrary().orElse("?"), fast.trainingMillisPerImage(), glibc.trainingMillisPerImage(),
                        glibc.trainingMillisPerImage() / fast.trainingMillisPerImage(), fast.forwardMillisPerImage(),
                        glibc.forwardMillisPerImage(), glibc.forwardMillisPerImage() / fast.forwardMillisPerImage())));
        text.append(onnxRuntime
                .map(millis -> String.format(Locale.ROOT, "ONNX Runtime forward of our export: %.1f ms/image, DL4J fast/ONNX Runtime %.2fx%n",
                        millis, fast.forwardMillisPerImage() / millis))
                .orElse("ONNX Runtime forward of our export: not measured\n"));
        for (Measurement measurement : measurements) {
            text.append(String.format(Locale.ROOT, "%n%s runtime:%n%s%n", measurement.configuration().name().toLowerCase(Locale.ROOT),
                    indent(measurement.runtime())));
        }
        return text.toString();
    }

    private static Measurement find(List<Measurement> measurements, Configuration configuration) {
        return measurements.stream().filter(measurement -> measurement.configuration() == configuration).findFirst().orElseThrow();
    }

    private static String indent(String text) {
        return text.lines().map(line -> "  " + line).collect(Collectors.joining("\n"));
    }

    /** The 1-minute load average: other processes on the machine skew every figure. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        }
        catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown CPU");
        }
        catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }
}

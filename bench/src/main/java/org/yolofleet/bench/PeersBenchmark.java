package org.yolofleet.bench;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.LayerSpec;
import org.yolofleet.core.model.MaxPoolLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.model.LabelledNetworkBox;
import org.yolofleet.model.Nd4jRuntime;
import org.yolofleet.model.RuntimeReport;
import org.yolofleet.model.TinyYoloGraphBuilder;
import org.yolofleet.model.TrainingHyperparameters;
import org.yolofleet.model.YoloLabelEncoder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
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
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Our DL4J training step and forward pass against PyTorch's on the same CPU, in one run: Tiny-YOLOv2 (VOC, 416 x 416,
 * 20 classes) at batch 8 with 2 threads, DL4J in its fast configuration ({@code ModelBenchmark}'s FAST: oneDNN build and
 * helpers, jemalloc as {@code bench/run} preloads it, {@code CacheMode.DEVICE}) with Adam as {@code conf/defaults.conf}
 * trains, and the same layer list built in PyTorch ({@code bench/peers_torch.py}, Adam with the same settings, an MSE
 * loss on the output standing in for the region loss) in a Python process that inherits the same allocator. Rounds
 * alternate DL4J and PyTorch so that load from other work falls on both. Then a profile of our training step: its
 * phases (forward, loss, backward, updater), each layer's forward and backward, and what oneDNN runs (its verbose log,
 * primitives summed by kind, reorders included). Writes {@code peers.txt}.
 *
 * <p>PyTorch comes from the machine's pip configuration (its local mirror) into a virtual environment under
 * {@code target/}; where it cannot be installed the PyTorch side is skipped with the reason, not failed.
 *
 * <pre>{@code bench/run peers [--rounds 3] [--warmup 2] [--iterations 3] [--batch 8] [--size 416] [--threads 2] [--profile true]}</pre>
 */
public final class PeersBenchmark {
    /** Training steps the verbose child runs; the last one's primitives are summarized (every step runs the same ones). */
    private static final int VERBOSE_STEPS = 4;
    private static final String STEP_MILLIS = "peers: last step ms ";
    private static final Pattern VERBOSE_LINE = Pattern.compile("^(onednn_verbose|dnnl_verbose),.*");

    private PeersBenchmark() {
    }

    record Options(Path results, Path venv, Path script, int rounds, int warmup, int iterations, int batch, int size, int threads,
                   boolean profile) {
        static Options parse(String[] arguments) {
            Map<String, String> values = BenchmarkSupport.options(arguments,
                    "bench/run peers [--rounds 3] [--warmup 2] [--iterations 3] [--batch 8] [--size 416] [--threads 2] [--profile true]");
            Options options = new Options(Path.of(values.getOrDefault("results", "bench/results")),
                    Path.of(values.getOrDefault("venv", "target/torch-venv")),
                    Path.of(values.getOrDefault("script", "bench/peers_torch.py")),
                    Integer.parseInt(values.getOrDefault("rounds", "3")),
                    Integer.parseInt(values.getOrDefault("warmup", "2")),
                    Integer.parseInt(values.getOrDefault("iterations", "3")),
                    Integer.parseInt(values.getOrDefault("batch", "8")),
                    Integer.parseInt(values.getOrDefault("size", "416")),
                    Integer.parseInt(values.getOrDefault("threads", "2")),
                    Boolean.parseBoolean(values.getOrDefault("profile", "true")));
            if (options.rounds < 1 || options.iterations < 1 || options.warmup < 0 || options.batch < 1 || options.threads < 1) {
                throw new IllegalArgumentException("rounds, iterations, batch and threads must be at least 1, warm-up at least 0");
            }
            return options;
        }
    }

    /** Adam as {@code conf/defaults.conf} trains: learning rate 0.001, beta1 0.9, L2 0.0005. */
    static final TrainingHyperparameters ADAM = new TrainingHyperparameters(TrainingHyperparameters.Optimizer.ADAM, 1e-3, 0.9, 5e-4,
            TinyYoloGraphBuilder.DEFAULT_SEED);

    public static void main(String[] arguments) throws Exception {
        if (arguments.length > 0 && arguments[0].equals("--verbose-child")) {
            verboseChild(Options.parse(Arrays.copyOfRange(arguments, 1, arguments.length)));
            return;
        }
        Options options = Options.parse(arguments);
        Instant start = Instant.now();
        String loadBefore = BenchmarkSupport.loadAverage();
        ModelSpec spec = spec(options);

        Optional<String> torchPython = installTorch(options);
        Dl4jSide dl4j = new Dl4jSide(spec, options);
        List<Double> dl4jForward = new ArrayList<>();
        List<Double> dl4jTraining = new ArrayList<>();
        List<Double> torchForward = new ArrayList<>();
        List<Double> torchTraining = new ArrayList<>();
        String torchVersion = "not run";
        String skipped = null;
        TorchSide torch = null;
        if (torchPython.isPresent()) {
            try {
                torch = new TorchSide(torchPython.get(), options, spec);
                torchVersion = torch.ready;
            }
            catch (IOException | RuntimeException failure) {
                skipped = "PyTorch did not start: " + failure.getMessage();
            }
        }
        else {
            skipped = "PyTorch could not be installed from this machine's pip configuration (see " + options.venv.resolve("install.log")
                    + "); DL4J measured alone";
        }
        if (skipped != null) {
            System.err.println("peers: SKIPPING PyTorch: " + skipped);
        }
        for (int round = 0; round < options.rounds; round++) {
            int warmup = round == 0 ? options.warmup : 1;
            System.err.printf(Locale.ROOT, "peers: round %d/%d, %s elapsed%n", round + 1, options.rounds,
                    Duration.between(start, Instant.now()).truncatedTo(ChronoUnit.SECONDS));
            dl4jForward.addAll(dl4j.forward(warmup, options.iterations));
            dl4jTraining.addAll(dl4j.training(warmup, options.iterations));
            System.err.printf(Locale.ROOT, "  dl4j    forward %s, training %s ms/image%n", format(dl4jForward), format(dl4jTraining));
            if (torch != null) {
                TorchSide.Round result = torch.round(warmup, options.iterations);
                torchForward.addAll(result.forward());
                torchTraining.addAll(result.training());
                System.err.printf(Locale.ROOT, "  pytorch forward %s, training %s ms/image%n", format(torchForward), format(torchTraining));
            }
        }
        if (torch != null) {
            torch.close();
        }
        String profile = options.profile ? dl4j.profile(options) + verboseProfile(options) : "profile: not run (--profile false)\n";

        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Tiny-YOLOv2 (yolov2-tiny-voc layer list) %dx%d, batch %d, %d threads: our DL4J fast configuration "
                + "against PyTorch on the same CPU, %d interleaved rounds (DL4J then PyTorch), %d warm-up (1 after round 1) + %d timed "
                + "iterations each; medians of all timed iterations, ms/image%n", options.size, options.size, options.batch, options.threads,
                options.rounds, options.warmup, options.iterations));
        text.append(String.format(Locale.ROOT, "machine: %d cores, SHARED with other builds and benchmarks (figures move 10-30 %%; compare "
                + "within this run); %s; run took %s; load average before %s, after %s%n",
                Runtime.getRuntime().availableProcessors(), Instant.now().truncatedTo(ChronoUnit.SECONDS),
                Duration.between(start, Instant.now()).truncatedTo(ChronoUnit.SECONDS), loadBefore, BenchmarkSupport.loadAverage()));
        text.append("both sides: Adam (lr 0.001, beta1 0.9, beta2 0.999, L2 0.0005 added to the gradient), float32, NCHW input, the same "
                + "allocator (LD_PRELOAD inherited: " + Optional.ofNullable(System.getenv("LD_PRELOAD")).orElse("none, glibc") + ")\n");
        text.append("loss: DL4J trains with our region loss (RegionOutputLayer); PyTorch with MSE on the raw output, an APPROXIMATION of "
                + "the region loss for a speed comparison (the profile below gives our region loss's own cost)\n");
        text.append("pytorch: ").append(torchVersion).append('\n');
        if (skipped != null) {
            text.append("PYTORCH SKIPPED: ").append(skipped).append('\n');
        }
        text.append('\n');
        text.append(String.format(Locale.ROOT, "%-10s %18s %24s%n", "", "forward ms/image", "training step ms/image"));
        text.append(String.format(Locale.ROOT, "%-10s %18.1f %24.1f   (iterations in round order: forward %s; training %s)%n", "dl4j", median(dl4jForward),
                median(dl4jTraining), format(dl4jForward), format(dl4jTraining)));
        if (!torchForward.isEmpty()) {
            text.append(String.format(Locale.ROOT, "%-10s %18.1f %24.1f   (iterations in round order: forward %s; training %s)%n", "pytorch",
                    median(torchForward), median(torchTraining), format(torchForward), format(torchTraining)));
            double trainingRatio = median(torchTraining) / median(dl4jTraining);
            text.append(String.format(Locale.ROOT, "%nspeed ratio DL4J/PyTorch (PyTorch ms / DL4J ms, > 1 = DL4J faster): training step %.2fx "
                    + "(target >= 1.0: %s), forward %.2fx%n", trainingRatio, trainingRatio >= 1.0 ? "met" : "NOT met",
                    median(torchForward) / median(dl4jForward)));
        }
        text.append('\n').append(profile);
        text.append("\ndl4j runtime:\n").append(dl4j.runtime.toText().lines().map(line -> "  " + line).collect(Collectors.joining("\n"))).append('\n');
        System.out.println(text);
        Files.createDirectories(options.results);
        Files.writeString(options.results.resolve("peers.txt"), text.toString(), StandardCharsets.UTF_8);
    }

    static ModelSpec spec(Options options) {
        return TinyYoloV2.voc().withInputSize(options.size, options.size);
    }

    /** Our layer list in the script's notation ({@code conv:F:K:S:P:BN:ACT}, {@code max:K:S:BEFORE:AFTER}, {@code region}). */
    static String torchLayers(ModelSpec spec) {
        List<String> layers = new ArrayList<>();
        for (LayerSpec layer : spec.layers()) {
            layers.add(layer.accept(new LayerSpec.Visitor<String>() {
                @Override
                public String visitConvolutional(ConvolutionalLayer convolution) {
                    return String.format(Locale.ROOT, "conv:%d:%d:%d:%d:%d:%s", convolution.filters(), convolution.size(), convolution.stride(),
                            convolution.padding(), convolution.batchNormalize() ? 1 : 0, convolution.activation().name().toLowerCase(Locale.ROOT));
                }

                @Override
                public String visitMaxPool(MaxPoolLayer maxPool) {
                    return String.format(Locale.ROOT, "max:%d:%d:%d:%d", maxPool.size(), maxPool.stride(), maxPool.paddingBefore(),
                            maxPool.paddingAfter());
                }

                @Override
                public String visitRegion(RegionLayer region) {
                    return "region";
                }
            }));
        }
        return String.join(",", layers);
    }

    /** The venv's python with torch importable, installing it from the machine's pip configuration when missing. */
    static Optional<String> installTorch(Options options) throws InterruptedException {
        Path python = options.venv.resolve("bin/python");
        try {
            if (Files.isExecutable(python) && run(List.of(python.toString(), "-c", "import torch"), null) == 0) {
                return Optional.of(python.toString());
            }
            Files.createDirectories(options.venv);
            Path log = options.venv.resolve("install.log");
            System.err.println("peers: installing PyTorch (CPU) into " + options.venv + " from the machine's pip configuration; log " + log);
            if (run(List.of("python3", "-m", "venv", options.venv.toString()), log) != 0
                    || run(List.of(python.toString(), "-m", "pip", "install", "--retries", "0", "--timeout", "30", "torch"), log) != 0
                    || run(List.of(python.toString(), "-c", "import torch"), log) != 0) {
                return Optional.empty();
            }
            return Optional.of(python.toString());
        }
        catch (IOException failure) {
            System.err.println("peers: " + failure.getMessage());
            return Optional.empty();
        }
    }

    private static int run(List<String> command, Path log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (log == null) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        else {
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        Process process = builder.start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /** The PyTorch process, driven line by line. */
    static final class TorchSide implements AutoCloseable {
        record Round(List<Double> forward, List<Double> training) {}

        private final Process process;
        private final BufferedReader output;
        private final PrintWriter input;
        final String ready;

        TorchSide(String python, Options options, ModelSpec spec) throws IOException {
            List<String> command = List.of(python, options.script.toString(), "--layers", torchLayers(spec), "--channels",
                    Integer.toString(spec.channels()), "--size", Integer.toString(options.size), "--batch", Integer.toString(options.batch),
                    "--threads", Integer.toString(options.threads), "--learning-rate", Double.toString(ADAM.learningRate()),
                    "--momentum", Double.toString(ADAM.momentum()), "--weight-decay", Double.toString(ADAM.weightDecay()));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            input = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            String line = output.readLine();
            if (line == null || !line.contains("\"ready\"")) {
                throw new IOException("bench/peers_torch.py exited before it was ready (see its error above)");
            }
            ready = line;
        }

        Round round(int warmup, int iterations) throws IOException {
            input.println("round " + warmup + " " + iterations);
            String line = output.readLine();
            if (line == null) {
                throw new IOException("bench/peers_torch.py ended during a round");
            }
            return new Round(numbers(line, "forward"), numbers(line, "training"));
        }

        /** The numbers of {@code "key": [a, b, ...]} in one JSON line. */
        static List<Double> numbers(String json, String key) {
            Matcher matcher = Pattern.compile("\"" + key + "\":\\s*\\[([^]]*)]").matcher(json);
            if (!matcher.find()) {
                throw new IllegalArgumentException("no " + key + " in " + json);
            }
            return Arrays.stream(matcher.group(1).split(",")).map(String::trim).filter(value -> !value.isEmpty()).map(Double::parseDouble).toList();
        }

        @Override
        public void close() throws InterruptedException {
            input.println("quit");
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Our network in the fast configuration, its batch, and the profile of its training step. */
    static final class Dl4jSide {
        final ComputationGraph network;
        final INDArray images;
        final INDArray labels;
        final MultiDataSet batch;
        final RuntimeReport runtime;
        final int batchSize;

        Dl4jSide(ModelSpec spec, Options options) {
            Nd4jRuntime.applyFastConfiguration(options.threads);
            network = TinyYoloGraphBuilder.forSpec(spec).hyperparameters(ADAM).fastRuntime(false).build();
            runtime = Nd4jRuntime.report(network);
            batchSize = options.batch;
            Random random = new Random(1);
            float[] pixels = new float[options.batch * spec.channels() * options.size * options.size];
            for (int index = 0; index < pixels.length; index++) {
                pixels[index] = random.nextFloat();
            }
            images = Nd4j.create(pixels, new long[] {options.batch, spec.channels(), options.size, options.size}, 'c');
            List<List<LabelledNetworkBox>> objects = new ArrayList<>();
            for (int image = 0; image < options.batch; image++) {
                List<LabelledNetworkBox> boxes = new ArrayList<>();
                for (int object = 0; object < 3; object++) {
                    double width = 0.05 + 0.4 * random.nextDouble();
                    double height = 0.05 + 0.4 * random.nextDouble();
                    double x = random.nextDouble() * (1 - width);
                    double y = random.nextDouble() * (1 - height);
                    boxes.add(new LabelledNetworkBox(random.nextInt(spec.classCount()), new BoundingBox(x, y, x + width, y + height)));
                }
                objects.add(boxes);
            }
            labels = YoloLabelEncoder.forSpec(spec).encode(objects).labels();
            batch = new MultiDataSet(images, labels);
        }

        List<Double> forward(int warmup, int iterations) {
            return time(warmup, iterations, () -> network.outputSingle(false, images));
        }

        List<Double> training(int warmup, int iterations) {
            return time(warmup, iterations, () -> network.fit(batch));
        }

        private List<Double> time(int warmup, int iterations, Runnable step) {
            for (int index = 0; index < warmup; index++) {
                step.run();
            }
            List<Double> values = new ArrayList<>();
            for (int index = 0; index < iterations; index++) {
                long start = System.nanoTime();
                step.run();
                values.add((System.nanoTime() - start) / 1e6 / batchSize);
            }
            return values;
        }

        /**
         * The training step taken apart, ms per batch (medians of {@code iterations}): {@code fit} whole and split at DL4J's
         * listener events (forward, backward, gradient, iteration done); the Adam update alone; then a layer-by-layer loop
         * (no workspaces, so it allocates every array: its sum runs well above fit's; read it for the relative weights).
         */
        String profile(Options options) {
            int iterations = Math.max(3, options.iterations);
            StringBuilder text = new StringBuilder("profile of our training step (ms per batch of " + batchSize + ", medians of "
                    + iterations + "):\n");
            double fit = median(time(1, iterations, () -> network.fit(batch))) * batchSize;
            text.append(String.format(Locale.ROOT, "  fit, whole step                          %8.1f%n", fit));
            PhaseListener phases = new PhaseListener();
            network.addListeners(phases);
            double listened = median(time(1, iterations, () -> {
                phases.start();
                network.fit(batch);
            })) * batchSize;
            network.setListeners();
            text.append(String.format(Locale.ROOT, "  fit with a timing listener               %8.1f  split by DL4J's listener events:%n", listened));
            phases.medians().forEach((phase, millis) -> text.append(String.format(Locale.ROOT, "    %-38s %8.1f%n", phase, millis)));
            network.setInputs(images);
            network.setLabels(labels);
            double updater = median(time(1, iterations, () -> {
                Gradient gradient = network.gradient();
                network.getUpdater().update(gradient, 0, 0, batchSize, LayerWorkspaceMgr.noWorkspaces());
                network.params().subi(gradient.gradient());
            })) * batchSize;
            text.append(String.format(Locale.ROOT, "  Adam update + parameter step alone       %8.1f  (%d parameters)%n", updater, network.numParams()));

            text.append(helperExperiments(iterations, fit));

            Map<String, double[]> perLayer = layerByLayer(iterations);
            text.append("\n  layer by layer (each layer's activate / backpropGradient called in turn WITHOUT workspaces: every array freshly allocated, "
                    + "so the sum runs well above fit; minimum of " + iterations + "):\n");
            text.append(String.format(Locale.ROOT, "  %-16s %10s %10s%n", "layer", "forward", "backward"));
            double forwardSum = 0;
            double backwardSum = 0;
            for (Map.Entry<String, double[]> entry : perLayer.entrySet()) {
                text.append(String.format(Locale.ROOT, "  %-16s %10.1f %10.1f%n", entry.getKey(), entry.getValue()[0], entry.getValue()[1]));
                forwardSum += entry.getValue()[0];
                backwardSum += entry.getValue()[1];
            }
            text.append(String.format(Locale.ROOT, "  %-16s %10.1f %10.1f%n", "sum", forwardSum, backwardSum));
            text.append(summaryByKind(perLayer));
            return text.toString();
        }

        /**
         * Tries for a win: the training step with DL4J's oneDNN helper taken off the max-pooling layers, then off the batch
         * normalisation layers (ND4J's own ops instead; set by reflection on this network only, restored after).
         */
        private String helperExperiments(int iterations, double fit) {
            StringBuilder text = new StringBuilder();
            for (Class<?> kind : List.of(org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer.class,
                    org.deeplearning4j.nn.layers.normalization.BatchNormalization.class)) {
                Map<Layer, Object> saved = new LinkedHashMap<>();
                try {
                    java.lang.reflect.Field field = kind.getDeclaredField("helper");
                    field.setAccessible(true);
                    for (Layer layer : network.getLayers()) {
                        if (kind.isInstance(layer)) {
                            saved.put(layer, field.get(layer));
                            field.set(layer, null);
                        }
                    }
                    double without = median(time(1, iterations, () -> network.fit(batch))) * batchSize;
                    for (Map.Entry<Layer, Object> entry : saved.entrySet()) {
                        field.set(entry.getKey(), entry.getValue());
                    }
                    text.append(String.format(Locale.ROOT, "  fit without the oneDNN helper on %-17s %8.1f  (%.2fx the step with it)%n",
                            kind.getSimpleName(), without, without / fit));
                }
                catch (ReflectiveOperationException | RuntimeException failure) {
                    text.append("  fit without the oneDNN helper on ").append(kind.getSimpleName()).append(": not measured (")
                            .append(failure).append(")\n");
                }
            }
            return text.toString();
        }

        /** Per layer (topological order), the least forward and backward ms per batch; the output layer's backward includes its loss. */
        private Map<String, double[]> layerByLayer(int iterations) {
            LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
            GraphVertex[] vertices = network.getVertices();
            List<Layer> layers = new ArrayList<>();
            for (int index : network.topologicalSortOrder()) {
                if (vertices[index].hasLayer()) {
                    layers.add(vertices[index].getLayer());
                }
            }
            Map<String, List<Double>> forward = new LinkedHashMap<>();
            Map<String, List<Double>> backward = new LinkedHashMap<>();
            for (int iteration = 0; iteration <= iterations; iteration++) {
                boolean timed = iteration > 0;
                INDArray activation = images;
                for (Layer layer : layers) {
                    long start = System.nanoTime();
                    layer.setInput(activation, workspaces);
                    activation = layer.activate(true, workspaces);
                    record(forward, layer, start, timed);
                }
                INDArray epsilon = null;
                for (int index = layers.size() - 1; index >= 0; index--) {
                    Layer layer = layers.get(index);
                    long start = System.nanoTime();
                    if (layer instanceof IOutputLayer output) {
                        output.setLabels(labels);
                        output.computeScore(0, true, workspaces);
                    }
                    Pair<Gradient, INDArray> result = layer.backpropGradient(epsilon, workspaces);
                    epsilon = result.getSecond();
                    record(backward, layer, start, timed);
                }
            }
            Map<String, double[]> medians = new LinkedHashMap<>();
            forward.forEach((name, values) -> medians.put(name, new double[] {java.util.Collections.min(values), java.util.Collections.min(backward.get(name))}));
            return medians;
        }

        private static void record(Map<String, List<Double>> times, Layer layer, long start, boolean timed) {
            double millis = (System.nanoTime() - start) / 1e6;
            List<Double> values = times.computeIfAbsent(layer.conf().getLayer().getLayerName(), name -> new ArrayList<>());
            if (timed) {
                values.add(millis);
            }
        }

        /** Sums by layer kind (the name's prefix: conv, batchnorm, activation, maxpool, region). */
        private static String summaryByKind(Map<String, double[]> perLayer) {
            Map<String, double[]> kinds = new TreeMap<>();
            double total = 0;
            for (Map.Entry<String, double[]> entry : perLayer.entrySet()) {
                String kind = entry.getKey().replaceAll("_\\d+$", "");
                double[] sum = kinds.computeIfAbsent(kind, name -> new double[2]);
                sum[0] += entry.getValue()[0];
                sum[1] += entry.getValue()[1];
                total += entry.getValue()[0] + entry.getValue()[1];
            }
            StringBuilder text = new StringBuilder("\n  by kind (forward + backward, share of the layer-by-layer sum):\n");
            for (Map.Entry<String, double[]> entry : kinds.entrySet()) {
                double both = entry.getValue()[0] + entry.getValue()[1];
                text.append(String.format(Locale.ROOT, "  %-16s %10.1f %10.1f   %5.1f %%%n", entry.getKey(), entry.getValue()[0], entry.getValue()[1],
                        100 * both / total));
            }
            return text.toString();
        }
    }

    /** Time between DL4J's training events within one {@code fit}, each interval named by the event that ends it. */
    static final class PhaseListener extends org.deeplearning4j.optimize.api.BaseTrainingListener {
        private final Map<String, List<Double>> intervals = new LinkedHashMap<>();
        private long last;

        void start() {
            last = System.nanoTime();
        }

        private void mark(String phase) {
            long now = System.nanoTime();
            intervals.computeIfAbsent(phase, name -> new ArrayList<>()).add((now - last) / 1e6);
            last = now;
        }

        @Override
        public void onForwardPass(org.deeplearning4j.nn.api.Model model, Map<String, INDArray> activations) {
            mark("start -> forward pass done");
        }

        @Override
        public void onForwardPass(org.deeplearning4j.nn.api.Model model, List<INDArray> activations) {
            mark("start -> forward pass done");
        }

        @Override
        public void onBackwardPass(org.deeplearning4j.nn.api.Model model) {
            mark("-> backward pass done (region loss incl.)");
        }

        @Override
        public void onGradientCalculation(org.deeplearning4j.nn.api.Model model) {
            mark("-> gradient calculation done");
        }

        @Override
        public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
            mark("-> iteration done (updater, step)");
        }

        /** Median of each interval over the timed steps (the first, warm-up, step dropped). */
        Map<String, Double> medians() {
            Map<String, Double> medians = new LinkedHashMap<>();
            intervals.forEach((phase, values) -> medians.put(phase, medianOf(values.subList(Math.min(1, values.size() - 1), values.size()))));
            return medians;
        }
    }

    /**
     * What oneDNN runs in one training step ({@code fit}, after warm-up steps) in a child JVM started with
     * {@code ONEDNN_VERBOSE=1}: primitive executions summed by kind and propagation, reorders included.
     */
    static String verboseProfile(Options options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> !argument.startsWith("-agentlib") && !argument.startsWith("-javaagent")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PeersBenchmark.class.getName(), "--verbose-child",
                "--batch", Integer.toString(options.batch), "--size", Integer.toString(options.size), "--threads", Integer.toString(options.threads)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("ONEDNN_VERBOSE", "1");
        builder.environment().put("DNNL_VERBOSE", "1");
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        double stepMillis = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (VERBOSE_LINE.matcher(line).matches() && line.contains(",exec,")) {
                    lines.add(line);
                }
                else if (line.startsWith(STEP_MILLIS)) {
                    stepMillis = Double.parseDouble(line.substring(STEP_MILLIS.length()).trim());
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || lines.size() < VERBOSE_STEPS) {
            return "\noneDNN verbose: no primitives logged (child exit " + exit + ")\n";
        }
        // the native log is block-buffered, so no marker printed from Java falls between steps: take the last step's share
        int perStep = lines.size() / VERBOSE_STEPS;
        return "\n" + summarizeVerbose(lines.subList(lines.size() - perStep, lines.size()), options.batch, stepMillis);
    }

    /** oneDNN verbose exec lines summed by primitive kind and propagation kind, ms, largest first. */
    static String summarizeVerbose(List<String> lines, int batchSize, double stepMillis) {
        double[] activationReorders = new double[1];
        double[] weightReorders = new double[1];
        Map<String, double[]> byKind = new LinkedHashMap<>();
        Map<String, double[]> reorders = new LinkedHashMap<>();
        double total = 0;
        for (String line : lines) {
            String[] fields = line.split(",", -1);
            int exec = Arrays.asList(fields).indexOf("exec");
            if (exec < 0 || exec + 4 >= fields.length) {
                continue;
            }
            String kind = fields[exec + 2];
            String propagation = fields[exec + 4];
            double millis;
            try {
                millis = Double.parseDouble(fields[fields.length - 1].trim());
            }
            catch (NumberFormatException notTimed) {
                continue;
            }
            total += millis;
            double[] sum = byKind.computeIfAbsent(kind.equals("reorder") ? kind : kind + " " + propagation, key -> new double[2]);
            sum[0] += millis;
            sum[1]++;
            if (kind.equals("reorder")) {
                // an activation's first dimension is the batch; a weight's the output channels
                String shape = fields[fields.length - 2];
                boolean activation = shape.startsWith(batchSize + "x") && shape.split("x").length == 4;
                (activation ? activationReorders : weightReorders)[0] += millis;
                String formats = fields[exec + 5].replaceAll("::blocked:", ":").replaceAll(":f0", "").replaceAll(" +", " ").trim();
                double[] reorder = reorders.computeIfAbsent(formats + " " + fields[fields.length - 2], key -> new double[2]);
                reorder[0] += millis;
                reorder[1]++;
            }
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "oneDNN in one training step (child JVM, ONEDNN_VERBOSE=1, the last of " + VERBOSE_STEPS + " steps): %d primitive executions, %.1f ms in all%n",
                lines.size(), total));
        double all = total;
        byKind.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).forEach(entry -> text.append(
                String.format(Locale.ROOT, "  %-40s %8.1f ms %5.1f %%  (%d calls)%n", entry.getKey(), entry.getValue()[0],
                        100 * entry.getValue()[0] / all, (int) entry.getValue()[1])));
        text.append(String.format(Locale.ROOT, "  reorders: %.1f ms of weights (every step: libnd4j keeps no reordered copy), %.1f ms of "
                + "activations and gradients (plain NCHW between layers <-> oneDNN's blocked formats)%n", weightReorders[0], activationReorders[0]));
        if (stepMillis > 0) {
            text.append(String.format(Locale.ROOT, "  that step took %.1f ms in all (verbose logging included): %.1f ms (%.0f %%) outside oneDNN "
                    + "(ND4J ops: batch-norm statistics, leaky ReLU, Adam, copies; the region loss; DL4J's Java)%n", stepMillis,
                    stepMillis - total, 100 * (stepMillis - total) / stepMillis));
        }
        if (!reorders.isEmpty()) {
            text.append("  largest reorders (formats, shape):\n");
            reorders.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(8).forEach(entry -> text.append(
                    String.format(Locale.ROOT, "    %8.1f ms (%d calls) %s%n", entry.getValue()[0], (int) entry.getValue()[1], entry.getKey())));
        }
        return text.toString();
    }

    private static void verboseChild(Options options) {
        Dl4jSide dl4j = new Dl4jSide(spec(options), options);
        long start = 0;
        for (int step = 0; step < VERBOSE_STEPS; step++) {
            start = System.nanoTime();
            dl4j.network.fit(dl4j.batch);
        }
        System.out.println(STEP_MILLIS + (System.nanoTime() - start) / 1e6);
    }

    static double median(List<Double> values) {
        return medianOf(values);
    }

    private static double medianOf(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String format(List<Double> values) {
        return values.stream().map(value -> String.format(Locale.ROOT, "%.0f", value)).collect(Collectors.joining(" "));
    }
}

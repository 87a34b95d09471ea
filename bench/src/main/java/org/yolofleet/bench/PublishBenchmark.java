package org.yolofleet.bench;

import ai.onnxruntime.OrtEnvironment;
import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.config.Hocon;
import org.yolofleet.core.darknet.DarknetCfgWriter;
import org.yolofleet.core.darknet.DarknetWeights;
import org.yolofleet.core.darknet.DarknetWeightsWriter;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.image.NetworkInput;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.onnx.OnnxExportOptions;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.DecodeThresholds;
import org.yolofleet.core.release.FileReleaseReader;
import org.yolofleet.core.release.ManifestSignature;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.Sha256;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.DetectorModel;
import org.yolofleet.detect.Dl4jDetector;
import org.yolofleet.export.TensorFlowGraphExporter;
import org.yolofleet.jobs.LocalDemo;
import org.yolofleet.model.DarknetWeightsExporter;
import org.yolofleet.model.Nd4jRuntime;
import org.yolofleet.publish.ModelExports;
import org.yolofleet.publish.ModelScoring;
import org.yolofleet.publish.ParityResult;
import org.yolofleet.publish.PublishConfig;
import org.yolofleet.publish.PublishStage;
import org.yolofleet.publish.PublishSummary;
import org.yolofleet.publish.ReleaseCandidate;
import org.yolofleet.publish.RuntimeParity;
import org.yolofleet.publish.ValImage;
import org.yolofleet.publish.compile.SearchPath;
import org.yolofleet.publish.store.ReleaseStoreOptions;
import org.yolofleet.train.EpochMetrics;
import org.yolofleet.train.RunLayout;
import org.yolofleet.train.TrainSummary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The publish stage at the demo's full size (Tiny-YOLOv2, 416 x 416, the demo's 4 classes), on a model that detects
 * something: by default one trained for it, one epoch at 416 px on the demo's generated sample ({@link LocalDemo},
 * fewer images), kept in {@code --fixture} ({@code bench/target/publish-fixture}) so later runs reuse it; or a
 * complete run given with {@code --run}. Writes {@code publish.txt}:
 * <ul>
 *   <li>per format, the time to export (each exporter of {@link ModelExports} alone) against a plain write of the same
 *       bytes, and to verify it as the faithfulness gate does (load in its own runtime, run on the gate's val images,
 *       compare with the checkpoint through {@link RuntimeParity}) against the checkpoint's own DL4J forward pass of
 *       those images, and the file sizes;</li>
 *   <li>ONNX FP16 against FP32 in ONNX Runtime: ms/image at batch 1, warm, median and p90 over N val images, 1 and 2
 *       intra-op threads (the two interleaved image by image, so load from other work hits both alike), the val mAP@0.5
 *       of each ({@link ModelScoring}, the gate's evaluator), the largest raw-output difference and how many
 *       detections agree;</li>
 *   <li>the whole {@link PublishStage} into a local store, then {@link ReleaseVerifier} over that release (SHA-256 of
 *       every artifact, the Ed25519 signature) in MB/s against plain SHA-256 and a plain read of the same files.</li>
 * </ul>
 * Every time is the median of {@code --repetitions} timed repetitions after one untimed warm-up (which also fills
 * the page cache); ratios are taken within the run, since absolute speed differs 2x between machines.
 *
 * <pre>{@code bench/run publish [--run URI] [--fixture DIR] [--sample-images 500] [--repetitions 3] [--images 60] [--warmup 5]}</pre>
 */
public final class PublishBenchmark {
    private static final String USAGE = "PublishBenchmark --results DIR [--run URI] [--fixture DIR] [--sample-images 500] [--repetitions 3] [--images 60] [--warmup 5]";
    private static final String MODEL = "tiny-yolo";
    private static final String VERSION = "bench-1";
    private static final String FIXTURE_DESCRIPTION = "fixture.txt";
    private static final double MEGABYTE = 1e6;
    /** Two detections agree when they name the same class and overlap this much. */
    private static final double AGREEING_IOU = 0.9;

    private PublishBenchmark() {
    }

    /** One format's export and verification, times in seconds (medians). */
    record FormatRow(String format, String files, long bytes, double exportSeconds, double plainWriteSeconds, double loadSeconds,
                     double verifySeconds, ParityResult parity) {
    }

    /** ONNX Runtime forward milliseconds per image of one model at one thread count. */
    record Latency(double median, double p90) {
    }

    public static void main(String[] arguments) throws Exception {
        Map<String, String> options = BenchmarkSupport.options(arguments, USAGE);
        Path results = Path.of(options.getOrDefault("results", "bench/results"));
        int sampleImages = Integer.parseInt(options.getOrDefault("sample-images", "500"));
        int repetitions = Integer.parseInt(options.getOrDefault("repetitions", "3"));
        int latencyImages = Integer.parseInt(options.getOrDefault("images", "60"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        if (repetitions < 1 || latencyImages < 1 || warmup < 0 || sampleImages < 50) {
            throw new IllegalArgumentException("usage: " + USAGE);
        }
        Instant started = Instant.now();
        String loadBefore = BenchmarkSupport.loadAverage();
        Path work = Files.createTempDirectory("yolofleet-publish-bench");
        Nd4jRuntime.applyFastConfiguration();

        // the fixture: a model that detects something, trained once and kept for later runs
        String run;
        String fixture;
        if (options.containsKey("run")) {
            run = options.get("run");
            fixture = "the complete run " + run;
        } else {
            Path fixtureDirectory = Path.of(options.getOrDefault("fixture", results.resolveSibling("target").resolve("publish-fixture").toString()))
                    .toAbsolutePath().normalize();
            Path description = fixtureDirectory.resolve(FIXTURE_DESCRIPTION);
            if (Files.exists(fixtureDirectory.resolve("train").resolve(RunLayout.RUN_RECORD)) && Files.exists(description)) {
                fixture = Files.readString(description).trim() + " (trained by an earlier run of this benchmark, kept in " + shown(fixtureDirectory, results)
                        + ")";
            } else {
                BenchmarkSupport.deleteTree(fixtureDirectory);
                Instant training = Instant.now();
                TrainSummary trained = trainFixture(fixtureDirectory, sampleImages);
                EpochMetrics epoch = trained.best();
                fixture = String.format(Locale.ROOT, "trained for this benchmark: the demo's sample (%d generated images), 1 epoch at 416 px, %d"
                                + " training samples, %.1f minutes in all (%.1f training, load average %s); its val mAP@0.5 in DL4J %.4f",
                        sampleImages, trained.trainSamples(), BenchmarkSupport.seconds(training) / 60, epoch.trainSeconds() / 60,
                        BenchmarkSupport.loadAverage().split(" ")[0], epoch.mapArea());
                Files.writeString(description, fixture + "\n");
                fixture += " (kept in " + shown(fixtureDirectory, results) + " for later runs)";
            }
            run = fixtureDirectory.resolve("train").toUri().toString();
            started = Instant.now();
            loadBefore = BenchmarkSupport.loadAverage();
        }
        System.err.println("fixture: " + fixture);
        Config config = ConfigLoader.load(ConfigLoader.local(), Optional.empty(), List.of(
                "publish.run=" + Hocon.string(run), "publish.store.uri=" + Hocon.string(work.resolve("releases").toUri().toString()),
                "publish.version=" + Hocon.string(VERSION)));
        PublishConfig publish = PublishConfig.from(config);
        Configuration hadoop = new Configuration();
        ReleaseCandidate candidate = ReleaseCandidate.select(publish, hadoop, Files.createDirectories(work.resolve("candidate")));
        ModelSpec spec = candidate.model().spec();
        List<String> classes = candidate.model().classNames();
        int threads = Runtime.getRuntime().availableProcessors();

        // export, each format alone
        Path exportsDirectory = work.resolve("exports");
        double weightsSeconds = median(repetitions, () -> DarknetWeightsExporter.export(candidate.model().network(), spec, 0));
        DarknetWeights weights = DarknetWeightsExporter.export(candidate.model().network(), spec, 0);
        Path scratch = Files.createDirectories(work.resolve("scratch"));
        Map<String, Double> exportSeconds = new HashMap<>();
        exportSeconds.put(ModelExports.ONNX_FP32, median(repetitions, () -> write(scratch.resolve(ModelExports.ONNX_FP32),
                OnnxExporter.withDefaults().export(spec, weights.layers(), classes, VERSION))));
        exportSeconds.put(ModelExports.ONNX_FP16, median(repetitions, () -> write(scratch.resolve(ModelExports.ONNX_FP16),
                new OnnxExporter(OnnxExportOptions.DEFAULTS.withPrecision(OnnxExportOptions.Precision.FLOAT16)).export(spec, weights.layers(), classes, VERSION))));
        exportSeconds.put(ModelExports.TF_GRAPH, median(repetitions, () -> {
            new TensorFlowGraphExporter().export(spec, weights.layers(), scratch.resolve(ModelExports.TF_GRAPH));
            return null;
        }));
        exportSeconds.put(ModelExports.DARKNET_WEIGHTS, median(repetitions, () -> {
            DarknetCfgWriter.write(spec, scratch.resolve(ModelExports.DARKNET_CFG));
            DarknetWeightsWriter.write(weights, spec, scratch.resolve(ModelExports.DARKNET_WEIGHTS));
            return null;
        }));

        Instant exporting = Instant.now();
        ModelExports exports = ModelExports.write(candidate.model(), VERSION,
                new DecodeThresholds(publish.deployment().score(), publish.deployment().nonMaxSuppressionIou()), exportsDirectory);
        double wholeExportSeconds = BenchmarkSupport.seconds(exporting);

        // verify, each format as the faithfulness gate does, against the checkpoint's outputs computed once
        List<ValImage> gateImages = candidate.valSplit().first(publish.faithfulness().images());
        RuntimeParity parity = new RuntimeParity(publish.faithfulness().tolerance(), publish.scoring());
        List<FormatRow> rows = new ArrayList<>();
        double checkpointSeconds;
        try (Dl4jDetector checkpoint = new Dl4jDetector(candidate.model().network(), spec, classes, candidate.checkpointUri())) {
            checkpointSeconds = median(repetitions, () -> {
                gateImages.forEach(image -> checkpoint.rawOutput(checkpoint.model().preprocessor().preprocess(image.image()).pixels()));
                return null;
            });
            RememberedOutputs reference = new RememberedOutputs(checkpoint);
            gateImages.forEach(image -> reference.rawOutput(checkpoint.model().preprocessor().preprocess(image.image()).pixels()));
            rows.add(verify(ModelExports.ONNX_FP32, exports, List.of(ModelExports.ONNX_FP32), exportSeconds, () -> exports.onnxFp32(threads),
                    parity, reference, gateImages, repetitions));
            rows.add(verify(ModelExports.ONNX_FP16, exports, List.of(ModelExports.ONNX_FP16), exportSeconds, () -> exports.onnxFp16(threads),
                    new RuntimeParity(1, publish.scoring()), reference, gateImages, repetitions));
            rows.add(verify(ModelExports.TF_GRAPH, exports, List.of(ModelExports.TF_GRAPH), exportSeconds, exports::tensorFlow,
                    parity, reference, gateImages, repetitions));
            rows.add(verify(ModelExports.DARKNET_WEIGHTS, exports, List.of(ModelExports.DARKNET_CFG, ModelExports.DARKNET_WEIGHTS), exportSeconds,
                    exports::darknetReimported, parity, reference, gateImages, repetitions));
        }

        // ONNX FP16 against FP32 in ONNX Runtime: speed at 1 and 2 threads, then val mAP and agreement
        List<float[]> inputs = new ArrayList<>();
        List<ValImage> latencySet = candidate.valSplit().first(latencyImages);
        DetectorModel inputModel;
        try (Detector probe = exports.onnxFp32(1)) {
            inputModel = probe.model();
        }
        for (int index = 0; index < latencyImages; index++) {
            inputs.add(inputModel.preprocessor().preprocess(latencySet.get(index % latencySet.size()).image()).pixels());
        }
        Map<Integer, Latency[]> latencies = new java.util.LinkedHashMap<>();
        for (int count : new int[] {1, 2}) {
            try (Detector fp32 = exports.onnxFp32(count); Detector fp16 = exports.onnxFp16(count)) {
                latencies.put(count, interleavedLatency(fp32, fp16, inputs, warmup));
            }
            System.err.printf(Locale.ROOT, "ONNX Runtime %d threads: FP32 %.1f ms, FP16 %.1f ms (median)%n", count, latencies.get(count)[0].median,
                    latencies.get(count)[1].median);
        }
        ModelScoring scoring = new ModelScoring(publish.scoring());
        Evaluation fp32Evaluation;
        Evaluation fp16Evaluation;
        double scoringSeconds;
        double[] agreement;
        try (Detector fp32 = exports.onnxFp32(threads); Detector fp16 = exports.onnxFp16(threads)) {
            Instant scored = Instant.now();
            fp32Evaluation = scoring.evaluate(fp32, candidate.valSplit());
            fp16Evaluation = scoring.evaluate(fp16, candidate.valSplit());
            scoringSeconds = BenchmarkSupport.seconds(scored);
            agreement = agreement(fp32, fp16, candidate, publish.scoring(), publish.deployment());
        }

        // the whole stage into a local store, then the device's verification of that release
        KeyPair keys = SigningKeys.generate();
        Instant publishing = Instant.now();
        PublishSummary summary = new PublishStage(publish, ReleaseStoreOptions.from(config), hadoop, keys.getPrivate(), Clock.systemUTC(),
                SearchPath.parse("")).run();
        double publishSeconds = BenchmarkSupport.seconds(publishing);
        System.err.println(summary.text());
        Path store = work.resolve("releases");
        ReleaseVerifier verifier = new ReleaseVerifier(TrustedKeys.of(List.of(keys.getPublic())));
        FileReleaseReader reader = new FileReleaseReader(store);
        VerifiedRelease release = verifier.verify(reader, MODEL, VERSION);
        List<Path> artifactFiles = release.manifest().artifacts().stream()
                .map(artifact -> store.resolve(ReleaseLayout.artifact(MODEL, VERSION, artifact.name()))).toList();
        long releaseBytes = release.manifest().artifacts().stream().mapToLong(ArtifactEntry::size).sum();
        double verifySeconds = median(repetitions, () -> verifier.verify(reader, MODEL, VERSION));
        double sha256Seconds = median(repetitions, () -> {
            artifactFiles.forEach(PublishBenchmark::sha256);
            return null;
        });
        double readSeconds = median(repetitions, () -> {
            artifactFiles.forEach(PublishBenchmark::readAll);
            return null;
        });
        byte[] manifestJson = Files.readAllBytes(store.resolve(ReleaseLayout.manifest(MODEL, VERSION)));
        ManifestSignature signature = ManifestSignature.fromJson(Files.readAllBytes(store.resolve(ReleaseLayout.signature(MODEL, VERSION))));
        TrustedKeys trusted = TrustedKeys.of(List.of(keys.getPublic()));
        int signatureChecks = 500;
        double ed25519Seconds = median(repetitions, () -> {
            for (int check = 0; check < signatureChecks; check++) {
                trusted.verify(manifestJson, signature);
            }
            return null;
        }) / signatureChecks;
        double signatureSeconds = median(repetitions, () -> {
            for (int check = 0; check < signatureChecks; check++) {
                verifier.verifyManifest(reader, MODEL, VERSION);
            }
            return null;
        }) / signatureChecks;

        String report = report(fixture, spec, classes, repetitions, warmup, latencyImages, weightsSeconds, wholeExportSeconds, checkpointSeconds,
                gateImages.size(), rows, latencies, fp32Evaluation, fp16Evaluation, scoringSeconds, valImages(candidate),
                agreement, publishSeconds, summary, releaseBytes, artifactFiles.size(), verifySeconds, sha256Seconds, readSeconds,
                signatureSeconds, ed25519Seconds, manifestJson.length, publish.scoring(), publish.deployment(), started, loadBefore);
        System.out.print(report);
        Files.createDirectories(results);
        Files.writeString(results.resolve("publish.txt"), report);
        BenchmarkSupport.deleteTree(work);
    }

    /** {@code path} relative to the checkout ({@code results} is its {@code bench/results}) when inside it: no machine's paths in results. */
    private static String shown(Path path, Path results) {
        Path checkout = results.toAbsolutePath().normalize().getParent().getParent();
        return checkout != null && path.startsWith(checkout) ? checkout.relativize(path).toString() : path.toString();
    }

    /** The local demo's stages on a smaller sample, one epoch at the network's 416 px, into {@code work/train}. */
    private static TrainSummary trainFixture(Path work, int sampleImages) {
        LocalDemo.Result result = LocalDemo.run(work, LocalDemo.sampleOptions(LocalDemo.DEFAULT_SEED, sampleImages, false), LocalDemo.Until.TRAIN,
                overrides -> {
                    List<String> all = new ArrayList<>(overrides);
                    all.addAll(List.of("train.epochs=1", "train.multi-scale.full-size-epochs=1"));
                    return ConfigLoader.load(ConfigLoader.local(), Optional.empty(), all);
                }, System.err::print);
        return result.trained().orElseThrow();
    }

    private static FormatRow verify(String format, ModelExports exports, List<String> files, Map<String, Double> exportSeconds,
                                    Supplier<Detector> open, RuntimeParity parity, Detector reference, List<ValImage> images, int repetitions)
            throws IOException {
        long bytes = 0;
        for (String file : files) {
            bytes += Files.size(exports.path(file));
        }
        byte[] same = new byte[Math.toIntExact(bytes)];
        Path plain = exports.directory().resolveSibling("plain-" + format);
        double plainWrite = median(repetitions, () -> write(plain, same));
        Files.deleteIfExists(plain);
        double[] load = new double[repetitions];
        double[] total = new double[repetitions];
        ParityResult result = null;
        for (int repetition = -1; repetition < repetitions; repetition++) {
            long start = System.nanoTime();
            try (Detector candidate = open.get()) {
                long loaded = System.nanoTime();
                result = parity.compare(format, reference, candidate, images);
                if (repetition >= 0) {
                    load[repetition] = (loaded - start) / 1e9;
                    total[repetition] = (System.nanoTime() - start) / 1e9;
                }
            }
        }
        System.err.printf(Locale.ROOT, "verify %s: %.2f s (load %.2f s); %s%n", format, median(total), median(load), result.describe());
        return new FormatRow(format, String.join(" + ", files), bytes, exportSeconds.get(files.get(files.size() - 1)), plainWrite, median(load),
                median(total), result);
    }

    /**
     * FP32 and FP16 forward passes, batch 1, image by image, alternating which goes first; {@code warmup} untimed images
     * first. Returns the FP32 latency, then the FP16 one.
     */
    private static Latency[] interleavedLatency(Detector fp32, Detector fp16, List<float[]> inputs, int warmup) {
        for (int index = 0; index < warmup; index++) {
            fp32.rawOutput(inputs.get(index % inputs.size()));
            fp16.rawOutput(inputs.get(index % inputs.size()));
        }
        double[] full = new double[inputs.size()];
        double[] half = new double[inputs.size()];
        for (int index = 0; index < inputs.size(); index++) {
            float[] input = inputs.get(index);
            if (index % 2 == 0) {
                full[index] = millis(fp32, input);
                half[index] = millis(fp16, input);
            } else {
                half[index] = millis(fp16, input);
                full[index] = millis(fp32, input);
            }
        }
        return new Latency[] {new Latency(median(full), percentile(full, 0.9)), new Latency(median(half), percentile(half, 0.9))};
    }

    private static double millis(Detector detector, float[] input) {
        long start = System.nanoTime();
        detector.rawOutput(input);
        return (System.nanoTime() - start) / 1e6;
    }

    /**
     * Over the whole val split: the largest {@code |FP16 - FP32|} raw-output element, then for the scoring thresholds (what
     * mAP counts) and the deployment thresholds (what a device reports) the FP32 detections and how many of them the FP16
     * export also finds (same class, IoU at least {@value #AGREEING_IOU}).
     */
    private static double[] agreement(Detector fp32, Detector fp16, ReleaseCandidate candidate, DetectionThresholds scoring,
                                      DetectionThresholds deployment) {
        double[] worstAndCounts = new double[5];
        candidate.valSplit().forEach(image -> {
            NetworkInput input = fp32.model().preprocessor().preprocess(image.image());
            float[] full = fp32.rawOutput(input.pixels());
            float[] half = fp16.rawOutput(input.pixels());
            for (int index = 0; index < full.length; index++) {
                worstAndCounts[0] = Math.max(worstAndCounts[0], Math.abs(full[index] - half[index]));
            }
            int slot = 1;
            for (DetectionThresholds thresholds : List.of(scoring, deployment)) {
                List<Detection> fullDetections = fp32.model().decoder().detect(full, input.letterbox(), thresholds.score(), thresholds.suppression());
                List<Detection> halfDetections = new ArrayList<>(fp16.model().decoder().detect(half, input.letterbox(), thresholds.score(),
                        thresholds.suppression()));
                for (Detection detection : fullDetections) {
                    worstAndCounts[slot]++;
                    for (Detection other : halfDetections) {
                        if (other.classId() == detection.classId() && other.box().iou(detection.box()) >= AGREEING_IOU) {
                            worstAndCounts[slot + 1]++;
                            halfDetections.remove(other);
                            break;
                        }
                    }
                }
                slot += 2;
            }
        });
        return worstAndCounts;
    }

    private static int valImages(ReleaseCandidate candidate) {
        int[] count = new int[1];
        candidate.valSplit().forEach(image -> count[0]++);
        return count[0];
    }

    /** The checkpoint's raw outputs remembered by input, so verifying an export times the export's runtime alone. */
    private static final class RememberedOutputs implements Detector {
        private final Detector detector;
        private final Map<Integer, float[]> outputs = new HashMap<>();

        RememberedOutputs(Detector detector) {
            this.detector = detector;
        }

        @Override
        public DetectorModel model() {
            return detector.model();
        }

        @Override
        public float[] rawOutput(float[] input) {
            return outputs.computeIfAbsent(Arrays.hashCode(input), key -> detector.rawOutput(input)).clone();
        }

        @Override
        public void close() {
        }
    }

    private static Object write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException failure) {
            throw new java.io.UncheckedIOException(failure);
        }
    }

    private static void sha256(Path file) {
        try (InputStream input = Files.newInputStream(file)) {
            Sha256.of(input);
        } catch (IOException failure) {
            throw new java.io.UncheckedIOException(failure);
        }
    }

    private static void readAll(Path file) {
        byte[] buffer = new byte[1 << 16];
        try (InputStream input = Files.newInputStream(file)) {
            while (input.read(buffer) >= 0) {
                // only the reading is timed
            }
        } catch (IOException failure) {
            throw new java.io.UncheckedIOException(failure);
        }
    }

    /** The median seconds of {@code repetitions} timed calls after one untimed warm-up call. */
    private static double median(int repetitions, Supplier<?> work) {
        work.get();
        double[] seconds = new double[repetitions];
        for (int repetition = 0; repetition < repetitions; repetition++) {
            long start = System.nanoTime();
            work.get();
            seconds[repetition] = (System.nanoTime() - start) / 1e9;
        }
        return median(seconds);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The nearest-rank percentile ({@code fraction} 0.9: the value 90 % of the samples are at or under). */
    static double percentile(double[] values, double fraction) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String report(String fixture, ModelSpec spec, List<String> classes, int repetitions, int warmup, int latencyImages,
                                 double weightsSeconds, double wholeExportSeconds, double checkpointSeconds, int gateImages, List<FormatRow> rows,
                                 Map<Integer, Latency[]> latencies, Evaluation fp32, Evaluation fp16, double scoringSeconds, int valImages,
                                 double[] agreement, double publishSeconds, PublishSummary summary, long releaseBytes, int artifacts,
                                 double verifySeconds, double sha256Seconds, double readSeconds, double signatureSeconds, double ed25519Seconds,
                                 int manifestBytes, DetectionThresholds scoringThresholds, DetectionThresholds deploymentThresholds,
                                 Instant started, String loadBefore) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "publish benchmark: Tiny-YOLOv2 %dx%d, %d classes (%s); ONNX Runtime %s; %d cores, %s%n",
                spec.width(), spec.height(), classes.size(), String.join(", ", classes), OrtEnvironment.getEnvironment().getVersion(),
                Runtime.getRuntime().availableProcessors(), Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        text.append(String.format(Locale.ROOT, "model: %s%n", fixture));
        text.append(String.format(Locale.ROOT, "times: median of %d repetitions after 1 untimed warm-up; fast ND4J configuration: %s%n%n", repetitions,
                Nd4jRuntime.report().isFast() ? "yes" : "no: " + Nd4jRuntime.report().deviationsFromFast()));

        text.append(String.format(Locale.ROOT, "export and verify, per format (verify = load in its runtime + run and compare on the gate's %d val images)%n",
                gateImages));
        text.append(String.format(Locale.ROOT, "  %-17s %-26s %12s  %9s %13s  %9s %9s %14s  %s%n", "format", "files", "bytes", "export s",
                "x plain write", "load s", "verify s", "x checkpoint", "max error vs checkpoint, detections"));
        for (FormatRow row : rows) {
            text.append(String.format(Locale.ROOT, "  %-17s %-26s %,12d  %9.2f %13.1f  %9.2f %9.2f %14.2f  %.2e, %d %s%n", row.format(),
                    row.files(), row.bytes(), row.exportSeconds(), row.exportSeconds() / row.plainWriteSeconds(), row.loadSeconds(),
                    row.verifySeconds(), row.verifySeconds() / checkpointSeconds, row.parity().worstError(), row.parity().detections(),
                    row.parity().detectionDifference().isEmpty() ? "the same" : "differ"));
        }
        text.append(String.format(Locale.ROOT, "  baselines: plain write of the same bytes (%.0f MB/s for %s); the checkpoint in DL4J on the same images"
                        + " %.2f s (%.0f ms/image)%n", rows.get(0).bytes() / MEGABYTE / rows.get(0).plainWriteSeconds(), rows.get(0).format(),
                checkpointSeconds, checkpointSeconds * 1000 / gateImages));
        text.append(String.format(Locale.ROOT, "  DL4J -> Darknet weights (what every exporter reads) %.2f s; ModelExports.write, all formats as publish"
                + " writes them, %.2f s (once)%n", weightsSeconds, wholeExportSeconds));
        text.append("  (the ONNX FP16 row's verify is the same parity run; publish gates FP16 on val mAP instead, below)\n\n");

        text.append(String.format(Locale.ROOT, "ONNX FP16 against FP32 in ONNX Runtime, batch 1, warm (%d untimed), %d val images, the two interleaved%n",
                warmup, latencyImages));
        text.append(String.format(Locale.ROOT, "  %-8s %16s %16s %16s %16s %12s%n", "threads", "FP32 median ms", "FP32 p90 ms", "FP16 median ms",
                "FP16 p90 ms", "FP16/FP32"));
        latencies.forEach((count, pair) -> text.append(String.format(Locale.ROOT, "  %-8d %16.1f %16.1f %16.1f %16.1f %12.2f%n", count,
                pair[0].median(), pair[0].p90(), pair[1].median(), pair[1].p90(), pair[1].median() / pair[0].median())));
        double fp32Map = fp32.areaMeanAveragePrecision().orElse(0);
        double fp16Map = fp16.areaMeanAveragePrecision().orElse(0);
        text.append(String.format(Locale.ROOT, "  val mAP@0.5 (%d images, area / 11-point): FP32 %.4f / %.4f, FP16 %.4f / %.4f; FP16 - FP32 %+.4f"
                        + " (publish allows -%.3f)%n", valImages, fp32Map, fp32.elevenPointMeanAveragePrecision().orElse(0), fp16Map,
                fp16.elevenPointMeanAveragePrecision().orElse(0), fp16Map - fp32Map, 0.005));
        text.append(String.format(Locale.ROOT, "  max |FP16 - FP32| raw output on the val split %.3e; FP32 detections the FP16 export also finds (same"
                        + " class, IoU >= %.1f): %d of %d at the scoring threshold %.3f (what mAP counts), %d of %d at the deployment threshold %.2f%n",
                agreement[0], AGREEING_IOU, (long) agreement[2], (long) agreement[1], scoringThresholds.score(), (long) agreement[4],
                (long) agreement[3], deploymentThresholds.score()));
        text.append(String.format(Locale.ROOT, "  scoring both on the val split (the FP16 part of the faithfulness gate) %.1f s%n%n", scoringSeconds));

        double releaseMegabytes = releaseBytes / MEGABYTE;
        text.append(String.format(Locale.ROOT, "the whole publish stage into a local store (select, export, faithfulness, gate, write, verify, channel)"
                + " %.1f s%n", publishSeconds));
        text.append(String.format(Locale.ROOT, "release verification (ReleaseVerifier.verify: manifest signature + SHA-256 of %d artifacts, %.1f MB,"
                        + " page cache warm)%n", artifacts, releaseMegabytes));
        text.append(String.format(Locale.ROOT, "  ReleaseVerifier.verify        %6.2f s  %7.0f MB/s%n", verifySeconds, releaseMegabytes / verifySeconds));
        text.append(String.format(Locale.ROOT, "  plain SHA-256 of the files    %6.2f s  %7.0f MB/s   (verify / plain SHA-256 %.2f)%n", sha256Seconds,
                releaseMegabytes / sha256Seconds, verifySeconds / sha256Seconds));
        text.append(String.format(Locale.ROOT, "  plain read of the files       %6.2f s  %7.0f MB/s   (verify / plain read %.2f)%n", readSeconds,
                releaseMegabytes / readSeconds, verifySeconds / readSeconds));
        text.append(String.format(Locale.ROOT, "  manifest and signature read, parsed, Ed25519-verified (verifyManifest) %.2f ms; the Ed25519 check"
                + " alone (%,d manifest bytes) %.3f ms%n", signatureSeconds * 1000, manifestBytes, ed25519Seconds * 1000));
        text.append(String.format(Locale.ROOT, "%nmeasurements took %.1f minutes (training the fixture not included); load average before %s, after %s%n", BenchmarkSupport.seconds(started) / 60,
                loadBefore, BenchmarkSupport.loadAverage()));
        return text.toString();
    }
}

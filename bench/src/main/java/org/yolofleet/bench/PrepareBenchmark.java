package org.yolofleet.bench;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.core.image.ImageSize;
import org.yolofleet.dataset.DirectoryImageStore;
import org.yolofleet.dataset.PrepareOutcome;
import org.yolofleet.dataset.SampleDatasetGenerator;
import org.yolofleet.dataset.SampleManifest;
import org.yolofleet.dataset.SampleOptions;
import org.yolofleet.dataset.VocRecordProcessor;
import org.yolofleet.prepare.PrepareConfig;
import org.yolofleet.prepare.PrepareStage;
import org.yolofleet.prepare.PrepareSummary;
import org.yolofleet.spark.SparkSessions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code prepare} throughput on Spark local[2] against the same per-record work done by a plain single-threaded
 * loop in the same run (read XML + image, parse, inspect, decode, normalise, validate, encode). The Spark path
 * also deduplicates, splits, computes anchors and writes Parquet; the ratio shows what Spark and those costs add
 * (or, with two cores, win). Writes {@code prepare.txt}.
 */
public final class PrepareBenchmark {
    private static final ImageSize SIZE = new ImageSize(500, 375);

    private PrepareBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        Map<String, String> options = BenchmarkSupport.options(arguments, "PrepareBenchmark --results DIR [--images N]");
        Path results = Path.of(options.getOrDefault("results", "bench/results"));
        int images = Integer.parseInt(options.getOrDefault("images", "2000"));
        Path work = Files.createTempDirectory("yolofleet-prepare-bench");
        String loadBefore = BenchmarkSupport.loadAverage();
        try {
            System.out.printf("prepare benchmark: generating %d VOC images of %dx%d ...%n", images, SIZE.width(), SIZE.height());
            SampleManifest manifest = new SampleDatasetGenerator(SampleOptions.defaults(2026, images).withSizes(List.of(SIZE)))
                    .generate(work.resolve("voc"));
            SampleManifest warmUp = new SampleDatasetGenerator(SampleOptions.defaults(7, 60).withSizes(List.of(SIZE)))
                    .generate(work.resolve("warm-up"));
            SparkSession spark = SparkSessions.getOrCreate(ConfigLoader.load(Optional.empty(), List.of("spark.master=\"local[2]\"")));

            // warm-up (not timed): JIT, Spark's first-job costs, ImageIO codec lookup
            prepare(spark, warmUp, work.resolve("warm-up"), work.resolve("warm-up-out"));
            loop(work.resolve("warm-up"), warmUp);

            BenchmarkSupport.resetPeaks();
            Instant started = Instant.now();
            PrepareSummary summary = prepare(spark, manifest, work.resolve("voc"), work.resolve("prepared"));
            double sparkSeconds = BenchmarkSupport.seconds(started);
            long sparkPeakHeap = BenchmarkSupport.peakHeapBytes();
            long kept = summary.manifest().records().kept();
            spark.stop();

            BenchmarkSupport.resetPeaks();
            started = Instant.now();
            long looped = loop(work.resolve("voc"), manifest);
            double loopSeconds = BenchmarkSupport.seconds(started);
            long loopPeakHeap = BenchmarkSupport.peakHeapBytes();

            double sparkRate = kept / sparkSeconds;
            double loopRate = looped / loopSeconds;
            List<String> lines = List.of(
                    "# yolofleet prepare benchmark",
                    "date                                  " + Instant.now(),
                    "machine                               " + Runtime.getRuntime().availableProcessors() + " cores, load " + loadBefore
                            + " before, " + BenchmarkSupport.loadAverage() + " after",
                    String.format(Locale.ROOT, "dataset                               %d generated VOC images of %dx%d, %d objects",
                            images, SIZE.width(), SIZE.height(), manifest.goodObjectCount()),
                    String.format(Locale.ROOT, "spark local[2] prepare (whole stage)  %.1f images/s (%d images in %.1f s)", sparkRate, kept,
                            sparkSeconds),
                    String.format(Locale.ROOT, "plain loop, 1 thread (record work)    %.1f images/s (%d images in %.1f s)", loopRate, looped,
                            loopSeconds),
                    String.format(Locale.ROOT, "ratio spark / loop                    %.2f", sparkRate / loopRate),
                    String.format(Locale.ROOT, "peak heap, spark run (driver+executors in one JVM)  %.0f MiB", sparkPeakHeap / 1048576.0),
                    String.format(Locale.ROOT, "peak heap, loop                       %.0f MiB", loopPeakHeap / 1048576.0),
                    "peak resident set                     " + BenchmarkSupport.peakResident("whole run"),
                    "command                               bench/run prepare --images " + images);
            String text = String.join(System.lineSeparator(), lines) + System.lineSeparator();
            System.out.print(text);
            Files.createDirectories(results);
            Files.writeString(results.resolve("prepare.txt"), text, StandardCharsets.UTF_8);
        } finally {
            BenchmarkSupport.deleteTree(work);
        }
    }

    private static PrepareSummary prepare(SparkSession spark, SampleManifest manifest, Path input, Path output) {
        List<String> overrides = new ArrayList<>();
        overrides.add("classes=" + com.typesafe.config.ConfigValueFactory.fromIterable(manifest.classes()).render());
        overrides.add("prepare.inputs=[\"" + input.toUri() + "\"]");
        overrides.add("prepare.output=\"" + output.toUri() + "\"");
        Config config = ConfigLoader.load(Optional.empty(), overrides);
        return new PrepareStage(spark, PrepareConfig.from(config), Clock.systemUTC()).run();
    }

    /** The per-record work alone, one thread: returns the number of images kept. */
    private static long loop(Path root, SampleManifest manifest) throws Exception {
        Config config = ConfigLoader.load(Optional.empty(), List.of(
                "classes=" + com.typesafe.config.ConfigValueFactory.fromIterable(manifest.classes()).render(),
                "prepare.inputs=[\"" + root.toUri() + "\"]", "prepare.output=\"file:/unused\""));
        VocRecordProcessor processor = new VocRecordProcessor(PrepareConfig.from(config).rules());
        DirectoryImageStore store = new DirectoryImageStore(root.resolve("JPEGImages"));
        long kept = 0;
        try (Stream<Path> annotations = Files.list(root.resolve("Annotations"))) {
            for (Path annotation : annotations.sorted().toList()) {
                PrepareOutcome outcome = processor.process("voc", annotation.toString(), Files.readAllBytes(annotation), store);
                kept += outcome.image().isPresent() ? 1 : 0;
            }
        }
        return kept;
    }
}

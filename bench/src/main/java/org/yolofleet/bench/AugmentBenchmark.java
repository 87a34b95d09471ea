package org.yolofleet.bench;

import org.yolofleet.core.image.ImageDecoder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.yolofleet.augment.AugmentConfig;
import org.yolofleet.augment.AugmentStage;
import org.yolofleet.augment.AugmentSummary;
import org.yolofleet.augment.AugmentationParameters;
import org.yolofleet.augment.BoxRules;
import org.yolofleet.augment.ImageAugmenter;
import org.yolofleet.augment.LabelledPixelBox;
import org.yolofleet.augment.PreparedRecord;
import org.yolofleet.augment.RecordAugmenter;
import org.yolofleet.augment.RecordOutcome;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.spark.SparkSessions;
import org.yolofleet.stage.DatasetSchema;
import org.yolofleet.stage.Split;

import java.awt.Color;
import java.io.IOException;
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
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Throughput of the {@code augment} stage on Spark {@code local[2]}: a generated prepared dataset of 500 x 375 JPEGs
 * becomes 416 x 416 letterboxed shards with the default augmentations (4 copies per training image, jitter 0.2,
 * hue 0.1, saturation 1.5, exposure 1.5, flip 0.5). Measured in the same run, on two threads like {@code local[2]}:
 * <ul>
 *   <li>the bare loop: decode each image once, then per output sample resize to 416 x 416 (letterbox, the same
 *       resampler) and encode: the job's work without the augmentation;</li>
 *   <li>the per-record augment logic without Spark ({@link RecordAugmenter}): what augmentation costs by itself.</li>
 * </ul>
 * Prints samples/s of each, the ratios, and the peak heap and resident memory; writes {@code augment.txt}.
 *
 * <pre>{@code bench/run augment [--images 1000]}</pre>
 */
public final class AugmentBenchmark {
    private static final int WIDTH = 500;
    private static final int HEIGHT = 375;
    private static final int THREADS = 2;
    private static final List<String> CLASSES = List.of("circle", "square", "triangle", "cross");

    private AugmentBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        Map<String, String> options = BenchmarkSupport.options(arguments, "AugmentBenchmark --results DIR [--images N]");
        Path results = Path.of(options.getOrDefault("results", "bench/results"));
        int images = Integer.parseInt(options.getOrDefault("images", "1000"));
        Path work = Files.createTempDirectory("yolofleet-augment-bench");

        System.out.printf("augment benchmark: generating %d prepared images of %dx%d ...%n", images, WIDTH, HEIGHT);
        List<PreparedRecord> records = generate(images, 20250101L);
        List<PreparedRecord> warmUp = generate(Math.min(40, images), 7L);
        SparkSession spark = SparkSessions.getOrCreate(ConfigLoader.load(Optional.empty(), List.of("spark.master=\"local[2]\"")));
        writeDataset(spark, records, work.resolve("prepared"));
        writeDataset(spark, warmUp, work.resolve("warm-up"));

        // warm-up (not timed): the JIT, Spark's first-job costs, ImageIO's codec lookup
        new AugmentStage(spark, config(work.resolve("warm-up"), work.resolve("warm-up-shards")), Clock.systemUTC()).run();
        bareLoop(warmUp, 4);
        plainAugment(warmUp);

        BenchmarkSupport.resetPeaks();
        Instant started = Instant.now();
        AugmentSummary summary = new AugmentStage(spark, config(work.resolve("prepared"), work.resolve("shards")), Clock.systemUTC()).run();
        double sparkSeconds = BenchmarkSupport.seconds(started);
        long peakHeap = BenchmarkSupport.peakHeapBytes();
        long samples = summary.manifest().samples();
        int copies = summary.manifest().recipe().copies();
        spark.stop();

        started = Instant.now();
        long plainSamples = plainAugment(records);
        double plainSeconds = BenchmarkSupport.seconds(started);

        started = Instant.now();
        long bareSamples = bareLoop(records, copies);
        double bareSeconds = BenchmarkSupport.seconds(started);

        double sparkRate = samples / sparkSeconds;
        double plainRate = plainSamples / plainSeconds;
        double bareRate = bareSamples / bareSeconds;
        String report = String.join(System.lineSeparator(),
                "yolofleet augment benchmark (" + Instant.now() + ")",
                String.format(Locale.ROOT, "machine: %d cores available, Java %s, -Xmx%d MiB", Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20),
                String.format(Locale.ROOT, "input: %d prepared images, %dx%d JPEG (q95), 1-4 boxes each, about 10 %% val", images, WIDTH, HEIGHT),
                String.format(Locale.ROOT, "work: 416x416 letterbox, %d copies per train image (copy 0 the resized original), jitter 0.2,"
                        + " hue 0.1, saturation 1.5, exposure 1.5, flip 0.5, JPEG q90", copies),
                "",
                String.format(Locale.ROOT, "%-37s %8.1f samples/s  (%d samples, %.1f images/s in, %.1f s, %.1f MiB of shards)",
                        "augment job, Spark local[2]", sparkRate, samples, images / sparkSeconds, sparkSeconds,
                        summary.manifest().bytes() / 1048576.0),
                String.format(Locale.ROOT, "%-37s %8.1f samples/s  (%d samples, %.1f s)", "augment logic, no Spark, 2 threads",
                        plainRate, plainSamples, plainSeconds),
                String.format(Locale.ROOT, "%-37s %8.1f samples/s  (%d samples, %.1f s)", "bare decode-resize-encode, 2 threads",
                        bareRate, bareSamples, bareSeconds),
                "",
                String.format(Locale.ROOT, "ratio augment job / bare loop        %.2f", sparkRate / bareRate),
                String.format(Locale.ROOT, "ratio augment logic / bare loop      %.2f   (what augmentation itself costs)", plainRate / bareRate),
                String.format(Locale.ROOT, "ratio augment job / augment logic    %.2f   (what Spark, the shuffle and the tar writing cost)",
                        sparkRate / plainRate),
                "",
                String.format(Locale.ROOT, "peak heap during the job             %.0f MiB", peakHeap / 1048576.0),
                String.format(Locale.ROOT, "peak resident set of the JVM         %s", BenchmarkSupport.peakResident("whole run: Spark, all three measurements")),
                "");
        System.out.print(report);
        Files.createDirectories(results);
        Files.writeString(results.resolve("augment.txt"), report, StandardCharsets.UTF_8);
        BenchmarkSupport.deleteTree(work);
    }

    /**
     * The bare baseline, the same work shape as the job without augmentation: decode each image once, then for each of
     * its samples ({@code copies} per training image, one per validation image) letterbox to 416 x 416 and encode; on
     * two threads.
     */
    static long bareLoop(List<PreparedRecord> records, int copies) throws Exception {
        ImageAugmenter resizer = new ImageAugmenter(416, 416, ResizeMode.LETTERBOX,
                new BoxRules(0, 0));
        AtomicLong done = new AtomicLong();
        runOnThreads(records, record -> {
            RgbImage image = ImageDecoder.STORED_IMAGES.decode(record.image()).image();
            int samples = record.split() == Split.TRAIN ? copies : 1;
            for (int sample = 0; sample < samples; sample++) {
                RgbImage resized = resizer.apply(image, record.boxes(), AugmentationParameters.identity(image.width(), image.height())).image();
                JpegCodec.encode(resized, 90);
                done.incrementAndGet();
            }
        });
        return done.get();
    }

    /** The per-record augment logic alone (decode once, every copy augmented and encoded), on two threads. */
    static long plainAugment(List<PreparedRecord> records) throws Exception {
        RecordAugmenter augmenter = new RecordAugmenter(AugmentConfig.from(ConfigLoader.load(Optional.empty(),
                List.of("augment.input=\"file:/in\"", "augment.output=\"file:/out\""))).recipe());
        AtomicLong done = new AtomicLong();
        runOnThreads(records, record -> {
            RecordOutcome outcome = augmenter.augment(record);
            if (outcome instanceof RecordOutcome.Augmented augmented) {
                done.addAndGet(augmented.samples().size());
            }
        });
        return done.get();
    }

    private static void runOnThreads(List<PreparedRecord> records, Consumer<PreparedRecord> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (PreparedRecord record : records) {
                futures.add(pool.submit(() -> work.accept(record)));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    static List<PreparedRecord> generate(int count, long seed) {
        Random random = new Random(seed);
        List<PreparedRecord> records = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            byte[] pixels = new byte[3 * WIDTH * HEIGHT];
            int base = 60 + random.nextInt(80);
            for (int pixel = 0; pixel < WIDTH * HEIGHT; pixel++) {
                int x = pixel % WIDTH;
                int y = pixel / WIDTH;
                int value = base + (int) (30 * Math.sin(x / 7.0 + index) * Math.cos(y / 11.0)) + random.nextInt(12);
                pixels[3 * pixel] = (byte) value;
                pixels[3 * pixel + 1] = (byte) (value + 10);
                pixels[3 * pixel + 2] = (byte) (value - 10);
            }
            List<LabelledPixelBox> boxes = new ArrayList<>();
            for (int box = 0; box < 1 + random.nextInt(4); box++) {
                int width = 30 + random.nextInt(200);
                int height = 30 + random.nextInt(150);
                int left = random.nextInt(WIDTH - width);
                int top = random.nextInt(HEIGHT - height);
                int classId = random.nextInt(CLASSES.size());
                int colour = Color.HSBtoRGB(classId / 4f, 0.8f, 0.9f);
                for (int y = top; y < top + height; y++) {
                    for (int x = left; x < left + width; x++) {
                        int at = 3 * (y * WIDTH + x);
                        pixels[at] = (byte) (colour >> 16);
                        pixels[at + 1] = (byte) (colour >> 8);
                        pixels[at + 2] = (byte) colour;
                    }
                }
                boxes.add(new LabelledPixelBox(classId, CLASSES.get(classId), new BoundingBox(left, top, left + width, top + height), false, false));
            }
            Split split = index % 10 == 9 ? Split.VAL : Split.TRAIN;
            byte[] jpeg = JpegCodec.encode(new RgbImage(WIDTH, HEIGHT, pixels), 95);
            records.add(new PreparedRecord(String.format(Locale.ROOT, "bench/image_%06d", index), split, WIDTH, HEIGHT, jpeg, boxes));
        }
        return records;
    }

    static void writeDataset(SparkSession spark, List<PreparedRecord> records, Path directory) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (PreparedRecord record : records) {
            List<Row> objects = new ArrayList<>();
            for (LabelledPixelBox box : record.boxes()) {
                objects.add(RowFactory.create(box.classId(), box.className(), box.box().xmin(), box.box().ymin(), box.box().xmax(),
                        box.box().ymax(), box.difficult(), box.truncated()));
            }
            String imageId = record.id().substring(record.id().indexOf('/') + 1);
            rows.add(RowFactory.create(record.id(), "bench", 0, imageId, "file:/bench/Annotations/" + imageId + ".xml",
                    "file:/bench/JPEGImages/" + imageId + ".jpg", "hash-" + imageId, record.width(), record.height(), record.image(),
                    objects, List.of(), record.split().directoryName()));
        }
        spark.createDataFrame(rows, DatasetSchema.IMAGE).repartition(4).write().partitionBy("split")
                .parquet(directory.resolve(DatasetSchema.IMAGES_DIRECTORY).toUri().toString());
        Files.writeString(directory.resolve(DatasetSchema.MANIFEST), """
                {"format": "yolofleet-dataset/1", "version": "bench", "classes": ["circle", "square", "triangle", "cross"],
                 "input": {"width": 416, "height": 416, "resizeMode": "letterbox"}}
                """);
    }

    private static AugmentConfig config(Path input, Path output) {
        return AugmentConfig.from(ConfigLoader.load(Optional.empty(), List.of(
                "augment.input=\"" + input.toUri() + "\"",
                "augment.output=\"" + output.toUri() + "\"")));
    }

}

package org.yolofleet.bench;

import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.yolofleet.augment.SampleLabel;
import org.yolofleet.augment.ShardManifest;
import org.yolofleet.augment.TarShardWriter;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.model.Nd4jRuntime;
import org.yolofleet.model.TinyYoloGraphBuilder;
import org.yolofleet.spark.SerializableHadoopConfiguration;
import org.yolofleet.spark.SparkSessions;
import org.yolofleet.train.ShardBatch;
import org.yolofleet.train.ShardBatchLoader;
import org.yolofleet.train.ShardIndex;
import org.yolofleet.train.TrainConfig;
import org.yolofleet.train.TrainStage;
import org.yolofleet.train.TrainSummary;

import java.io.ByteArrayOutputStream;
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

/**
 * Training throughput at 416 x 416, batch 8 per worker, 4 classes: images/s of the {@code train} stage on Spark
 * {@code local[1]} and {@code local[2]} (second epoch, after warm-up; validation excluded), the parameter-averaging
 * scaling efficiency (2-worker rate / (2 x 1-worker rate)), and in the same run a plain single-JVM
 * {@code ComputationGraph.fit} loop over the same minibatches (same loader), so the Spark overhead shows. Writes
 * {@code train.txt}.
 *
 * <pre>{@code bench/run train [--images 64]}</pre>
 */
public final class TrainBenchmark {
    static final int SIZE = 416;
    static final int BATCH = 8;
    static final List<String> CLASSES = List.of("circle", "square", "triangle", "cross");

    private TrainBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        Map<String, String> options = BenchmarkSupport.options(arguments, "TrainBenchmark --results DIR [--images N]");
        Path results = Path.of(options.getOrDefault("results", "bench/results"));
        int images = Integer.parseInt(options.getOrDefault("images", "64"));
        Path work = Files.createTempDirectory("yolofleet-train-bench");
        writeShards(work, images, 4);
        Nd4jRuntime.applyFastConfiguration();

        double plain = plainFit(work);
        System.out.printf(Locale.ROOT, "plain ComputationGraph.fit: %.2f images/s%n", plain);
        double one = spark(work, "local[1]", 1);
        System.out.printf(Locale.ROOT, "train on local[1]: %.2f images/s%n", one);
        double two = spark(work, "local[2]", 2);
        System.out.printf(Locale.ROOT, "train on local[2]: %.2f images/s%n", two);

        String report = String.format(Locale.ROOT, """
                train benchmark: Tiny-YOLOv2 %dx%d, %d classes, batch %d per worker, %d training images, Adam
                (generated shards; rates of the second epoch, validation excluded; fast ND4J configuration: %s)
                  plain ComputationGraph.fit (1 JVM, %d OpenMP threads)  %7.2f images/s
                  train stage, local[1], 1 worker                   %7.2f images/s   (%.2fx of plain)
                  train stage, local[2], 2 workers                  %7.2f images/s   (%.2fx of plain)
                  scaling efficiency local[2] / (2 x local[1])      %7.2f
                  load average after the run                        %s
                """, SIZE, SIZE, CLASSES.size(), BATCH, images, Nd4jRuntime.report().isFast() ? "yes" : "no: " + Nd4jRuntime.report().deviationsFromFast(),
                Nd4jRuntime.configuredThreads(), plain, one, one / plain, two, two / plain, two / (2 * one), BenchmarkSupport.loadAverage());
        System.out.print(report);
        Files.createDirectories(results);
        Files.writeString(results.resolve("train.txt"), report);
        BenchmarkSupport.deleteTree(work);
    }

    /** Two epochs of a plain fit loop over the train split's minibatches (the stage's loader); the second epoch's rate. */
    static double plainFit(Path work) throws java.io.IOException {
        ModelSpec spec = TinyYoloV2.spec(CLASSES.size(), TinyYoloV2.VOC_ANCHORS, SIZE, SIZE, ResizeMode.LETTERBOX);
        ComputationGraph network = TinyYoloGraphBuilder.forSpec(spec).build();
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
        ShardIndex index = ShardIndex.read(work.resolve("shards/train/shard-00000.tar").toUri().toString(), hadoop, BATCH, SIZE, SIZE, CLASSES.size());
        ShardBatchLoader loader = new ShardBatchLoader(new SerializableHadoopConfiguration(hadoop), SIZE, SIZE, CLASSES.size());
        double rate = 0;
        for (int epoch = 0; epoch < 2; epoch++) {
            Instant started = Instant.now();
            long done = 0;
            for (ShardBatch batch : index.batches()) {
                DataSet data = loader.load(batch.path());
                network.fit(data);
                done += batch.samples();
            }
            rate = done / BenchmarkSupport.seconds(started);
        }
        return rate;
    }

    private static double spark(Path work, String master, int workers) {
        SparkSession spark = SparkSessions.getOrCreate(ConfigLoader.load(Optional.empty(), List.of("spark.master=\"" + master + "\"")));
        try {
            TrainConfig config = TrainConfig.from(ConfigLoader.load(Optional.empty(), List.of(
                    "classes=[" + String.join(", ", CLASSES) + "]",
                    "model.input-width=" + SIZE, "model.input-height=" + SIZE,
                    "train.input=\"" + work.toUri() + "\"",
                    "train.output=\"" + work.resolve("run-" + workers).toUri() + "\"",
                    "train.epochs=2", "train.master.workers=" + workers, "train.master.batch-size-per-worker=" + BATCH,
                    "train.master.averaging-frequency=4")));
            TrainSummary summary = new TrainStage(spark, config, Clock.systemUTC()).run();
            return summary.last().imagesPerSecond();
        } finally {
            spark.stop();
        }
    }

    /** Noise images with one to three solid rectangles, straight into the augment stage's shard format. */
    static void writeShards(Path directory, int train, int val) throws Exception {
        List<ShardManifest.Shard> shards = new ArrayList<>();
        for (String split : List.of("train", "val")) {
            int count = split.equals("train") ? train : val;
            String relative = "shards/" + split + "/shard-00000.tar";
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            TarShardWriter.Written written;
            try (TarShardWriter writer = new TarShardWriter(bytes)) {
                for (int index = 0; index < count; index++) {
                    Random random = new Random(index * 31L + split.length());
                    byte[] pixels = new byte[3 * SIZE * SIZE];
                    random.nextBytes(pixels);
                    List<SampleLabel.Box> boxes = new ArrayList<>();
                    for (int object = 0; object < 1 + random.nextInt(3); object++) {
                        int width = 60 + random.nextInt(150);
                        int height = 60 + random.nextInt(150);
                        int left = random.nextInt(SIZE - width);
                        int top = random.nextInt(SIZE - height);
                        int classId = random.nextInt(CLASSES.size());
                        for (int y = top; y < top + height; y++) {
                            for (int x = left; x < left + width; x++) {
                                pixels[3 * (y * SIZE + x) + classId % 3] = (byte) 230;
                            }
                        }
                        boxes.add(new SampleLabel.Box(classId, CLASSES.get(classId), left, top, left + width, top + height, false, false));
                    }
                    String key = String.format(Locale.ROOT, "%08d_bench_%d_c0", index, index);
                    SampleLabel label = new SampleLabel("bench/" + index, split, 0, SIZE, SIZE, "letterbox", SIZE, SIZE, boxes, 0,
                            new SampleLabel.Augmentation(List.of(0.0, 0.0, (double) SIZE, (double) SIZE), false, 0, 1, 1));
                    writer.add(key + ".jpg", JpegCodec.encode(new RgbImage(SIZE, SIZE, pixels), 90));
                    writer.add(key + ".json", label.toJson());
                }
                written = writer.finish();
            }
            Path file = directory.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes.toByteArray());
            shards.add(new ShardManifest.Shard(split, relative, count, written.bytes(), written.sha256()));
        }
        ShardManifest manifest = new ShardManifest(ShardManifest.FORMAT, "bench", "2025-01-01T00:00:00Z", 0,
                new ShardManifest.SourceDataset("", "bench"), CLASSES, new ShardManifest.Input(SIZE, SIZE, "letterbox"), 42,
                new ShardManifest.Recipe(1, true, 0, 0, 1, 1, 0, 0.1, 2, 90), train, Map.of(), train + val, 0, shards, Map.of(),
                "quarantine.json", null);
        Files.writeString(directory.resolve(ShardManifest.FILE_NAME), manifest.toJson(), StandardCharsets.UTF_8);
    }
}

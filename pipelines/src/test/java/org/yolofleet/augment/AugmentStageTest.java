package org.yolofleet.augment;

import org.yolofleet.core.quarantine.QuarantineEntry;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.SparkSessions;
import org.yolofleet.stage.Split;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The augment job end to end on Spark local[2] and the local disk. */
class AugmentStageTest {
    private static final int TRAIN_IMAGES = 10;
    private static final int VAL_IMAGES = 3;
    private static final int COPIES = 3;

    @TempDir
    static Path directory;
    static SparkSession spark;
    static List<PreparedRecord> records;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSessions.getOrCreate(ConfigLoader.load(Optional.empty(), List.of("spark.master=\"local[2]\"")));
        records = AugmentFixtures.records(TRAIN_IMAGES, VAL_IMAGES);
        AugmentFixtures.writeDataset(spark, records, directory.resolve("prepared"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void augmentsEveryGoodRecordIntoShardsAndQuarantinesTheBrokenOne() throws IOException {
        String output = directory.resolve("shards").toUri().toString();

        AugmentSummary summary = new AugmentStage(spark, config(output, 0, false), Clock.systemUTC()).run();

        ShardManifest manifest = summary.manifest();
        assertThat(manifest.splits().get("train")).isEqualTo(new ShardManifest.SplitCounts(TRAIN_IMAGES + 1, 1, TRAIN_IMAGES * COPIES,
                manifest.splits().get("train").boxesIn(), manifest.splits().get("train").boxesKept(),
                manifest.splits().get("train").boxesDropped(), 5, manifest.splits().get("train").bytes()));
        assertThat(manifest.splits().get("val").samples()).isEqualTo(VAL_IMAGES);
        assertThat(manifest.splits().get("val").shards()).isEqualTo(1);
        assertThat(manifest.shards()).extracting(ShardManifest.Shard::path).containsExactly(
                "shards/train/shard-00000.tar", "shards/train/shard-00001.tar", "shards/train/shard-00002.tar",
                "shards/train/shard-00003.tar", "shards/train/shard-00004.tar", "shards/val/shard-00000.tar");
        assertThat(manifest.shards()).extracting(ShardManifest.Shard::samples).containsExactly(7L, 7L, 7L, 7L, 2L, 3L);
        assertThat(manifest.source().version()).isEqualTo(AugmentFixtures.DATASET_VERSION);
        assertThat(manifest.classes()).isEqualTo(AugmentFixtures.CLASSES);
        assertThat(manifest.input()).isEqualTo(new ShardManifest.Input(96, 96, "letterbox"));
        assertThat(manifest.quarantineByReason()).isEqualTo(Map.of("IMAGE_UNDECODABLE", 1L));
        assertThat(summary.quarantined()).extracting(QuarantineEntry::path).containsExactly(AugmentFixtures.BROKEN_ID);

        FileSystem fileSystem = HadoopFiles.fileSystem(output, spark.sparkContext().hadoopConfiguration());
        List<ShardContents.Sample> samples = ShardContents.read(fileSystem, output, manifest);
        checkSamples(samples, manifest);

        assertThat(Files.readString(directory.resolve("shards").resolve(AugmentStage.QUARANTINE_FILE)))
                .contains(AugmentFixtures.BROKEN_ID).contains("IMAGE_UNDECODABLE").contains("\"stage\" : \"augment\"").contains("\"severity\" : \"REJECT_IMAGE\"");
        BufferedImage preview = ImageIO.read(directory.resolve("shards").resolve(AugmentStage.PREVIEW_FILE).toFile());
        assertThat(preview.getWidth()).isEqualTo(4 + 3 * (96 + 4));
        assertThat(preview.getHeight()).isEqualTo(4 + 2 * (96 + 16 + 4));
        assertThat(summary.text()).contains("preview.png").contains("30 samples out").contains(AugmentFixtures.BROKEN_ID);
        assertThat(Files.readString(directory.resolve("shards").resolve(AugmentStage.SUMMARY_FILE))).isEqualTo(summary.text());
        try (var staging = Files.list(directory.resolve("shards"))) {
            assertThat(staging.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith("_staging"));
        }

        assertThatThrownBy(() -> new AugmentStage(spark, config(output, 0, false), Clock.systemUTC()).run())
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.OUTPUT_EXISTS));
    }

    @Test
    void theShardsAreByteIdenticalForAnyPartitioning() throws IOException {
        String one = directory.resolve("one-partition").toUri().toString();
        String five = directory.resolve("five-partitions").toUri().toString();
        FileSystem fileSystem = HadoopFiles.fileSystem(one, spark.sparkContext().hadoopConfiguration());

        ShardManifest first = new AugmentStage(spark, config(one, 1, false), Clock.systemUTC()).run().manifest();
        ShardManifest second = new AugmentStage(spark, config(five, 5, false), Clock.systemUTC()).run().manifest();
        ShardManifest rerun = new AugmentStage(spark, config(five, 3, true), Clock.systemUTC()).run().manifest();

        assertThat(second.shards()).isEqualTo(first.shards());
        assertThat(rerun.shards()).isEqualTo(first.shards());
        Map<String, byte[]> firstBytes = ShardContents.shardBytes(fileSystem, one, first);
        Map<String, byte[]> secondBytes = ShardContents.shardBytes(fileSystem, five, second);
        assertThat(secondBytes.keySet()).isEqualTo(firstBytes.keySet());
        firstBytes.forEach((path, bytes) -> assertThat(secondBytes.get(path)).as(path).isEqualTo(bytes));
    }

    /** Every good record is there with the right copies, in order, and every label describes its image. */
    static void checkSamples(List<ShardContents.Sample> samples, ShardManifest manifest) {
        List<String> expected = new ArrayList<>();
        records.stream().filter(record -> !record.id().equals(AugmentFixtures.BROKEN_ID))
                .sorted((left, right) -> left.split() != right.split() ? left.split().compareTo(right.split()) : left.id().compareTo(right.id()))
                .forEach(record -> {
                    for (int copy = 0; copy < (record.split() == Split.TRAIN ? COPIES : 1); copy++) {
                        expected.add(record.id() + "#" + copy);
                    }
                });
        assertThat(samples).extracting(sample -> sample.label().id() + "#" + sample.label().copy()).containsExactlyElementsOf(expected);
        assertThat(samples.stream().map(ShardContents.Sample::key).collect(Collectors.toSet())).hasSize(samples.size());
        assertThat(samples.stream().mapToLong(sample -> sample.label().boxes().size()).sum())
                .isEqualTo(manifest.splits().values().stream().mapToLong(ShardManifest.SplitCounts::boxesKept).sum());
        assertThat(samples.stream().mapToLong(sample -> sample.label().droppedBoxes()).sum())
                .isEqualTo(manifest.splits().values().stream().mapToLong(ShardManifest.SplitCounts::boxesDropped).sum());

        Set<String> flipped = samples.stream().filter(sample -> sample.label().augmentation().flip()).map(ShardContents.Sample::key)
                .collect(Collectors.toSet());
        assertThat(flipped).isNotEmpty();
        for (ShardContents.Sample sample : samples) {
            SampleLabel label = sample.label();
            PreparedRecord source = records.stream().filter(record -> record.id().equals(label.id())).findFirst().orElseThrow();
            assertThat(label.boxes().size() + label.droppedBoxes()).isEqualTo(source.boxes().size());
            if (label.split().equals("val") || label.copy() == 0) {
                assertThat(label.augmentation().crop()).containsExactly(0.0, 0.0, (double) source.width(), (double) source.height());
                assertThat(label.augmentation().flip()).isFalse();
                assertThat(label.droppedBoxes()).isZero();
            }
            // the fixture's boxes are solid, saturated rectangles on a grey-ish texture: the JSON boxes must sit on them
            for (SampleLabel.Box box : label.boxes()) {
                if (box.xmax() - box.xmin() >= 6 && box.ymax() - box.ymin() >= 6) {
                    int centre = sample.image().rgb((int) ((box.xmin() + box.xmax()) / 2), (int) ((box.ymin() + box.ymax()) / 2));
                    float[] hsv = new float[3];
                    HsvJitter.toHsv(centre >> 16 & 0xff, centre >> 8 & 0xff, centre & 0xff, hsv);
                    assertThat(hsv[1]).as("saturation at the centre of %s in %s", box, sample.key()).isGreaterThan(0.35f);
                }
            }
        }
    }

    private AugmentConfig config(String output, int partitions, boolean overwrite) {
        return AugmentConfig.from(ConfigLoader.load(Optional.empty(), List.of(
                "model.input-width=96",
                "model.input-height=96",
                "augment.input=\"" + directory.resolve("prepared").toUri() + "\"",
                "augment.output=\"" + output + "\"",
                "augment.copies=" + COPIES,
                "augment.images-per-shard=7",
                "augment.preview.samples=6",
                "augment.preview.columns=3",
                "augment.partitions=" + partitions,
                "augment.overwrite=" + overwrite)));
    }
}

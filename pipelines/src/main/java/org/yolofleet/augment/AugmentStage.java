package org.yolofleet.augment;

import org.yolofleet.core.quarantine.QuarantineStage;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.quarantine.QuarantineEntry;
import org.yolofleet.core.image.ImageDecoder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.SerializableHadoopConfiguration;
import org.yolofleet.spark.StagedOutput;
import org.yolofleet.stage.DatasetManifest;
import org.yolofleet.stage.DatasetSchema;
import org.yolofleet.stage.RunIds;
import org.yolofleet.stage.Split;
import scala.Tuple2;

import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The {@code augment} stage: a prepared dataset in, WebDataset-style tar shards at network size out. Training images
 * become {@code copies} samples each, validation images one resized sample; every sample's randomness comes from
 * (seed, image id, copy), and samples are ordered by (split, id, copy) and packed into shards by that order alone,
 * each shard written by one task, so the bytes do not depend on partitioning. Records whose image no longer decodes
 * are quarantined and the job goes on. Output is staged and committed last ({@code shards.json} is the marker).
 */
public final class AugmentStage {
    public static final String QUARANTINE_FILE = "quarantine.json";
    public static final String PREVIEW_FILE = "preview.png";
    public static final String SUMMARY_FILE = "summary.txt";
    private static final Logger LOG = LoggerFactory.getLogger(AugmentStage.class);
    private static final int IMAGES_PER_PARTITION = 16;
    private static final int PREVIEW_TILE_SIZE = 256;
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SparkSession spark;
    private final AugmentConfig config;
    private final Clock clock;

    public AugmentStage(SparkSession spark, AugmentConfig config, Clock clock) {
        this.spark = requireNonNull(spark, "spark");
        this.config = requireNonNull(config, "config");
        this.clock = requireNonNull(clock, "clock");
    }

    public AugmentSummary run() {
        Instant started = clock.instant();
        String runId = RunIds.newRunId(started);
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hadoop = context.hadoopConfiguration();
        DatasetManifest dataset = DatasetManifest.read(HadoopFiles.fileSystem(config.input(), hadoop), config.input());
        warnOnInputMismatch(dataset);
        StagedOutput output = StagedOutput.open(config.output(), ShardManifest.FILE_NAME, runId, config.overwrite(), hadoop);

        JavaRDD<Row> outcomes = null;
        try {
            Dataset<Row> prepared = spark.read().parquet(new Path(config.input(), DatasetSchema.IMAGES_DIRECTORY).toString())
                    .selectExpr(AugmentRows.PREPARED_COLUMNS);
            long records = prepared.count();
            LongAccumulator recordsDone = spark.sparkContext().longAccumulator("augment: records done");
            outcomes = augmentRecords(context, prepared, records, recordsDone);
            List<Row> images;
            try (Progress progress = Progress.start("augment", records, recordsDone, PROGRESS_INTERVAL)) {
                images = outcomes.filter(AugmentRows::isImage).collect();
            }
            List<QuarantineEntry> quarantined = quarantined(images);
            ShardPlan plan = ShardPlan.of(images.stream().filter(image -> image.isNullAt(AugmentRows.REASON))
                    .map(image -> new ShardPlan.Image(image.getString(AugmentRows.ID), AugmentRows.split(image.getString(AugmentRows.SPLIT))))
                    .toList(), config.recipe(), config.imagesPerShard());
            ShardLayout layout = plan.layout();
            LOG.info("augment: {} train and {} val samples into {} shards", layout.trainSamples(), layout.valSamples(), layout.totalShards());
            List<Row> shardRows = layout.totalShards() > 0 ? writeShards(context, outcomes, plan, output, hadoop) : List.of();

            String preview = null;
            if (config.previewSamples() > 0 && layout.totalShards() > 0) {
                writePreview(output, outcomes, layout);
                preview = PREVIEW_FILE;
            }
            HadoopFiles.write(output.fileSystem(), output.staged(QUARANTINE_FILE), json(quarantined.stream().map(QuarantineEntry::columns).toList()));
            ShardManifest manifest = manifest(dataset, runId, started, images, quarantined, shardRows, preview);
            AugmentSummary summary = new AugmentSummary(manifest, quarantined, output.output().toString());
            HadoopFiles.write(output.fileSystem(), output.staged(SUMMARY_FILE), summary.text().getBytes(StandardCharsets.UTF_8));
            HadoopFiles.write(output.fileSystem(), output.staged(ShardManifest.FILE_NAME), manifest.toJson().getBytes(StandardCharsets.UTF_8));
            output.commit();
            return summary;
        } catch (RuntimeException failure) {
            output.abort();
            throw failure;
        } finally {
            if (outcomes != null) {
                outcomes.unpersist(false);
            }
        }
    }

    private void warnOnInputMismatch(DatasetManifest dataset) {
        DatasetManifest.Input prepared = dataset.input();
        if (prepared != null && (prepared.width() != config.recipe().input().width() || prepared.height() != config.recipe().input().height())) {
            LOG.warn("augment: the dataset was prepared (and its anchors computed) for {}x{}, the shards are made for {}x{}"
                            + " (yolofleet.model.input-width/height)", prepared.width(), prepared.height(),
                    config.recipe().input().width(), config.recipe().input().height());
        }
    }

    /** Every prepared record augmented on the executors: one image outcome row each, and its sample rows. */
    private JavaRDD<Row> augmentRecords(JavaSparkContext context, Dataset<Row> prepared, long records, LongAccumulator recordsDone) {
        int partitions = config.partitions() > 0 ? config.partitions()
                : (int) Math.max(context.defaultParallelism(), Math.min(10_000, (records + IMAGES_PER_PARTITION - 1) / IMAGES_PER_PARTITION));
        LOG.info("augment: {} prepared images from {} in {} partitions", records, config.input(), partitions);
        return prepared.repartition(partitions).javaRDD()
                .mapPartitions(new RecordAugmentation(config.recipe(), recordsDone))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
    }

    /** The image outcomes set aside, in the quarantine's one shape, by record id. */
    private static List<QuarantineEntry> quarantined(List<Row> images) {
        List<QuarantineEntry> quarantined = new ArrayList<>();
        for (Row image : images) {
            if (!image.isNullAt(AugmentRows.REASON)) {
                quarantined.add(quarantineEntry(image));
            }
        }
        quarantined.sort(Comparator.comparing(QuarantineEntry::path));
        quarantined.forEach(entry -> LOG.warn("augment: quarantined {} ({}): {}", entry.path(), entry.reason(), entry.detail()));
        return quarantined;
    }

    /** The samples in (split, id, copy) order, cut into the plan's shards and written by the executors; a row per shard. */
    private static List<Row> writeShards(JavaSparkContext context, JavaRDD<Row> outcomes, ShardPlan plan, StagedOutput output,
                                         Configuration hadoop) {
        ShardLayout layout = plan.layout();
        Broadcast<HashMap<String, Long>> firstOrdinals = context.broadcast(new HashMap<>(plan.firstOrdinals()));
        try {
            return outcomes.filter(AugmentRows::isSample)
                    .mapToPair(row -> new Tuple2<>(firstOrdinals.value().get(row.getString(AugmentRows.ID)) + row.getInt(AugmentRows.COPY), row))
                    .repartitionAndSortWithinPartitions(new ShardPartitioner(layout))
                    .mapPartitionsWithIndex(new ShardWriting(layout, output.stagedUri(ShardLayout.DIRECTORY), new SerializableHadoopConfiguration(hadoop)), false)
                    .collect();
        } finally {
            firstOrdinals.destroy();
        }
    }

    /** The preview shows the training samples (validation ones when there are none) with the smallest preview ranks. */
    private void writePreview(StagedOutput output, JavaRDD<Row> outcomes, ShardLayout layout) {
        String split = (layout.trainSamples() > 0 ? Split.TRAIN : Split.VAL).directoryName();
        List<Row> chosen = outcomes.filter(row -> AugmentRows.isSample(row) && split.equals(row.getString(AugmentRows.SPLIT)))
                .takeOrdered(config.previewSamples(), new PreviewOrder());
        List<ContactSheet.Tile> tiles = new ArrayList<>();
        for (Row row : chosen) {
            tiles.add(new ContactSheet.Tile(SampleLabel.fromJson((byte[]) row.get(AugmentRows.LABEL)),
                    ImageDecoder.STORED_IMAGES.decode((byte[]) row.get(AugmentRows.JPEG)).image()));
        }
        int tileSize = Math.min(PREVIEW_TILE_SIZE, Math.max(config.recipe().input().width(), config.recipe().input().height()));
        HadoopFiles.write(output.fileSystem(), output.staged(PREVIEW_FILE),
                ContactSheet.png(ContactSheet.render(tiles, config.previewColumns(), tileSize)));
    }

    /** Orders samples by preview rank, then id and copy (ties are practically impossible, but the order stays total). */
    static final class PreviewOrder implements Comparator<Row>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(Row left, Row right) {
            int byRank = Long.compare(left.getLong(AugmentRows.PREVIEW_RANK), right.getLong(AugmentRows.PREVIEW_RANK));
            if (byRank != 0) {
                return byRank;
            }
            int byId = left.getString(AugmentRows.ID).compareTo(right.getString(AugmentRows.ID));
            return byId != 0 ? byId : Integer.compare(left.getInt(AugmentRows.COPY), right.getInt(AugmentRows.COPY));
        }
    }

    private ShardManifest manifest(DatasetManifest dataset, String runId, Instant started, List<Row> images,
                                   List<QuarantineEntry> quarantined, List<Row> shardRows, String preview) {
        Map<Split, long[]> imageCounts = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            imageCounts.put(split, new long[3]);
        }
        for (Row image : images) {
            long[] counts = imageCounts.get(AugmentRows.split(image.getString(AugmentRows.SPLIT)));
            counts[0]++;
            if (!image.isNullAt(AugmentRows.REASON)) {
                counts[1]++;
            }
        }
        List<Row> sortedShards = new ArrayList<>(shardRows);
        sortedShards.sort(Comparator.comparing((Row row) -> AugmentRows.split(row.getString(AugmentRows.SHARD_SPLIT)))
                .thenComparingInt(row -> row.getInt(AugmentRows.SHARD_NUMBER)));
        Map<Split, long[]> shardCounts = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            shardCounts.put(split, new long[5]);
        }
        List<ShardManifest.Shard> shards = new ArrayList<>();
        long totalSamples = 0;
        long totalBytes = 0;
        for (Row shard : sortedShards) {
            String split = shard.getString(AugmentRows.SHARD_SPLIT);
            long samples = shard.getLong(AugmentRows.SHARD_SAMPLES);
            long bytes = shard.getLong(AugmentRows.SHARD_BYTES);
            shards.add(new ShardManifest.Shard(split, shard.getString(AugmentRows.SHARD_PATH), samples, bytes, shard.getString(AugmentRows.SHARD_SHA256)));
            long[] counts = shardCounts.get(AugmentRows.split(split));
            counts[0]++;
            counts[1] += samples;
            counts[2] += bytes;
            counts[3] += shard.getLong(AugmentRows.SHARD_BOXES_KEPT);
            counts[4] += shard.getLong(AugmentRows.SHARD_BOXES_DROPPED);
            totalSamples += samples;
            totalBytes += bytes;
        }
        Map<String, ShardManifest.SplitCounts> splits = new TreeMap<>();
        for (Split split : Split.values()) {
            long[] image = imageCounts.get(split);
            long[] shard = shardCounts.get(split);
            splits.put(split.directoryName(), new ShardManifest.SplitCounts(image[0], image[1], shard[1], shard[3] + shard[4], shard[3],
                    shard[4], (int) shard[0], shard[2]));
        }
        Map<String, Long> byReason = new TreeMap<>();
        quarantined.forEach(entry -> byReason.merge(entry.reason().name(), 1L, Long::sum));
        Instant finished = clock.instant();
        AugmentRecipe recipe = config.recipe();
        return new ShardManifest(
                ShardManifest.FORMAT,
                runId,
                finished.toString(),
                Duration.between(started, finished).toMillis() / 1000.0,
                new ShardManifest.SourceDataset(config.input(), dataset.version()),
                dataset.classes() == null ? List.of() : dataset.classes(),
                new ShardManifest.Input(recipe.input().width(), recipe.input().height(),
                        recipe.input().resizeMode().name().toLowerCase(Locale.ROOT)),
                recipe.seed(),
                ShardManifest.Recipe.of(recipe),
                config.imagesPerShard(),
                splits,
                totalSamples,
                totalBytes,
                shards,
                byReason,
                QUARANTINE_FILE,
                preview);
    }

    /** A quarantined image outcome in the one quarantine shape; its path is the prepared record's id. */
    private static QuarantineEntry quarantineEntry(Row image) {
        String id = image.getString(AugmentRows.ID);
        String source = id.substring(0, Math.max(0, id.indexOf('/')));
        return new QuarantineEntry(QuarantineStage.AUGMENT, source, id, QuarantineEntry.WHOLE_RECORD,
                QuarantineReason.valueOf(image.getString(AugmentRows.REASON)),
                image.getString(AugmentRows.DETAIL) + " (" + image.getString(AugmentRows.SPLIT) + " split)");
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException exception) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot write JSON: " + exception.getMessage(), exception);
        }
    }
}
